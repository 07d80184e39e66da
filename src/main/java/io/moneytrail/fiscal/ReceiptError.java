package io.moneytrail.fiscal;

/**
 * Why a receipt failed, as the fiscal provider said it (ATOL's {@code error.code}, {@code text} and
 * {@code type}: {@code system}, {@code unknown} …), or {@code type} {@code moneytrail} when we could
 * not build or send it.
 */
public record ReceiptError(Integer code, String text, String type) {
}

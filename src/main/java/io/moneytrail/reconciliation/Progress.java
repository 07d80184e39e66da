package io.moneytrail.reconciliation;

/** Told how far an importer has read a file; the audit command draws its progress bar from it. */
@FunctionalInterface
public interface Progress {

    Progress NONE = (file, bytesRead, bytesTotal) -> { };

    /** Called about every mebibyte read and once at the end of each file. */
    void advanced(String file, long bytesRead, long bytesTotal);
}

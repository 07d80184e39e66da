package io.moneytrail.backoffice;

import static org.assertj.core.api.Assertions.assertThat;

import io.moneytrail.testing.RequiresTool;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;

/** The interface in Russian: the switch, remembered across pages, roubles as {@code 1 234,56 ₽}. */
@RequiresTool({"chromium", "chromedriver"})
class RussianInterfaceTest extends BackofficeTest {

    @Test
    void the_switch_turns_the_pages_russian_and_money_is_shown_the_russian_way() {
        String order = api.post("/v1/orders", """
                {"currency":"RUB","reference":"ЗАКАЗ-7","customer":{"email":"pokupatel@example.ru","phone":"+79001234567"},
                 "lines":[{"sku":"KETTLE","name":"Чайник","quantity":1,"unit_amount":123456,"vat_rate":20}]}""")
                .expect(200).text("id");
        Login accountant = user("accountant");
        WebDriver browser = Browser.loginAs(base(), accountant.username(), accountant.password());
        assertThat(browser.findElement(By.tagName("h1")).getText()).isEqualTo("Dashboard");
        Browser.clickAndLoad(browser, By.cssSelector(".lang a[lang=ru]"));
        assertThat(browser.findElement(By.tagName("h1")).getText()).isEqualTo("Сводка");
        assertThat(browser.findElement(By.tagName("html")).getAttribute("lang")).isEqualTo("ru");
        Browser.check(browser, "ru-dashboard");

        browser.get(base() + "/admin/orders?q=%2B7%20900%20123-45-67");
        assertThat(browser.findElement(By.tagName("h1")).getText()).as("remembered").isEqualTo("Заказы");
        String list = FormatsTest.plain(browser.findElement(By.cssSelector("table.list")).getText());
        assertThat(list).contains(order).contains("1 234,56 ₽");
        Browser.check(browser, "ru-orders");

        browser.get(base() + "/admin/orders/" + order);
        String page = FormatsTest.plain(browser.findElement(By.id("main")).getText());
        assertThat(page).contains("Заказ").contains("Позиции").contains("Чайник").contains("1 234,56 ₽")
                .contains("205,76 ₽");
        Browser.check(browser, "ru-order");

        Browser.clickAndLoad(browser, By.cssSelector(".lang a[lang=en]"));
        assertThat(browser.findElement(By.cssSelector("#h-lines")).getText()).isEqualTo("Lines");
    }
}

package io.visca.gateway.dashboard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Issue 17's keys and teams pages in a real browser: a team with a budget, a key in it with models, a rate and an
 * expiry made through the form and listed with its limits and spend bar, an edit, a rotation whose new key the
 * router takes at once (and the old one no more), a bad budget refused beside its field, and a team in use that
 * cannot be deleted. One test, so the stack's browser walks the pages once (the module is near its time limit).
 */
class DashboardKeyPolicyTests extends DashboardTestBase {

    private static final Pattern KEY = Pattern.compile("vsk_[A-Za-z0-9_-]+");

    @Test
    void governsAKeyAndItsTeamThroughThePages() {
        logIn();
        find("a#nav-teams").click();
        wait.until(d -> "/teams".equals(currentPath()));

        // a bad budget: the API's violation beside the field, nothing created
        typeIn("form#team-form", "name", "browser-team");
        typeIn("form#team-form", "max_budget_usd", "-5");
        find("button#create-team").click();
        WebElement error = find("form#team-form .field-error[data-field='max_budget_usd']");
        assertTrue(error.getText().contains("more than 0"), error.getText());
        Browser.screenshot(driver, "team-form-errors");
        assertEquals(404, Http.get(dashboard("/api/teams/browser-team"), auth()).statusCode());

        typeIn("form#team-form", "max_budget_usd", "40");
        new Select(find("form#team-form select[name='budget_period']")).selectByValue("week");
        typeIn("form#team-form", "requests_per_minute", "120");
        find("button#create-team").click();
        wait.until(d -> "/teams/browser-team/edit".equals(currentPath()));
        find("#saved");
        find("#team-budget .budget-max");

        // a key in the team with models, a rate, an expiry and a budget
        String expiry = Instant.now().plus(30, ChronoUnit.DAYS).truncatedTo(ChronoUnit.SECONDS).toString();
        find("a#nav-keys").click();
        wait.until(d -> "/keys".equals(currentPath()));
        typeIn("form#key-form", "name", "browser-policy-key");
        new Select(find("form#key-form select[name='team']")).selectByValue("browser-team");
        typeIn("form#key-form", "models", "dash-gpt, dash-mini");
        typeIn("form#key-form", "expires_at", expiry);
        typeIn("form#key-form", "max_budget_usd", "5");
        new Select(find("form#key-form select[name='budget_period']")).selectByValue("day");
        typeIn("form#key-form", "requests_per_minute", "60");
        find("button#create-key").click();
        String first = shownKey();
        Browser.screenshot(driver, "key-policy-created");

        WebElement row = keyRow("browser-policy-key");
        String id = row.getAttribute("data-key-id");
        assertEquals("browser-team", text(row, ".key-team"));
        assertEquals("dash-gpt, dash-mini", text(row, ".key-models"));
        assertEquals("60 requests/min", text(row, ".limit-rpm"));
        assertEquals(expiry, text(row, ".key-expires time"));
        // billing's quota store: nothing spent yet, all of the $5 left
        assertEquals("$0", text(row, ".budget-spend"));
        assertEquals("$5", text(row, ".budget-remaining"));
        assertEquals("$5", text(row, ".budget-max"));
        assertTrue(row.findElements(By.cssSelector(".budget-unavailable")).isEmpty(), "billing is read");
        screenshotAt(row, "keys-with-policy");
        eventually("the router takes the new key", () -> routerStatus("/v1/models", first) == 200);

        // edit one field
        row.findElement(By.cssSelector("a.edit-key")).click();
        wait.until(d -> ("/keys/" + id + "/edit").equals(currentPath()));
        typeIn("form#key-form", "tokens_per_minute", "5000");
        find("button#save-key").click();
        find("#saved");
        JsonNode saved = Http.json(Http.get(dashboard("/api/keys/" + id), auth()).body());
        assertEquals(5000, saved.path("tokens_per_minute").asInt());
        assertEquals(60, saved.path("requests_per_minute").asInt(), "the other fields are kept");
        assertEquals("browser-team", saved.path("team").asText());

        // rotate without grace: the new key is shown once and works, the old one stops
        typeIn("form#rotate-form", "grace_seconds", "0");
        find("button#rotate-key").click();
        String second = shownKey();
        assertFalse(second.equals(first));
        Browser.screenshot(driver, "key-rotated");
        eventually("the router takes the rotated key", () -> routerStatus("/v1/models", second) == 200);
        eventually("the router refuses the replaced key", () -> routerStatus("/v1/models", first) == 401);
        visit("/keys", "keys-after-rotation");
        assertFalse(driver.getPageSource().contains(second), "the new key is shown only once");

        // the team has a key: deleting it is refused, clearly
        visit("/teams", "teams");
        find("tr[data-team='browser-team'] button.delete-team").click();
        WebElement refused = find("#delete-refused[data-team='browser-team']");
        assertTrue(refused.getText().contains("1 active key"), refused.getText());
        Browser.screenshot(driver, "team-delete-refused");
        assertEquals(200, Http.get(dashboard("/api/teams/browser-team"), auth()).statusCode());
    }

    private static void typeIn(String form, String name, String value) {
        WebElement input = find(form + " [name='" + name + "']");
        input.clear();
        input.sendKeys(value);
    }

    private static String shownKey() {
        Matcher shown = KEY.matcher(find("#new-key").getText());
        assertTrue(shown.find(), "the new key is shown: " + find("#new-key").getText());
        return shown.group();
    }
}

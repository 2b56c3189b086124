package io.visca.gateway.registry.dashboard;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;

import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import io.visca.gateway.registry.TestApi;

/** A logged-in browser, for the dashboard's tests: its session cookie, the page's CSRF token, forms as sent. */
public final class DashboardClient {

    private final String session;
    private final String csrf;

    private DashboardClient(String session, String csrf) {
        this.session = session;
        this.csrf = csrf;
    }

    /** Logs in with the admin token and reads the CSRF token from a page. */
    public static DashboardClient login() {
        Response login = given().redirects().follow(false).formParam("token", TestApi.ADMIN_TOKEN).post("/login");
        assertEquals(303, login.statusCode(), login.asString());
        String session = login.getCookie("visca_session");
        assertNotNull(session);
        return withSession(session);
    }

    /** The browser of a session cookie from a login made otherwise; reads the CSRF token from a page. */
    public static DashboardClient withSession(String session) {
        Document page = Jsoup.parse(given().cookie("visca_session", session).get("/providers/new").asString());
        String csrf = page.selectFirst("meta[name=csrf-token]").attr("content");
        return new DashboardClient(session, csrf);
    }

    public String session() {
        return session;
    }

    public String csrf() {
        return csrf;
    }

    public RequestSpecification request() {
        return given().redirects().follow(false).cookie("visca_session", session);
    }

    public Response get(String path) {
        return request().get(path);
    }

    public Document page(String path) {
        Response response = get(path);
        assertEquals(200, response.statusCode(), path + ": " + response.asString());
        return Jsoup.parse(response.asString());
    }

    /** POSTs a form with the session's CSRF token. */
    public Response post(String path, Map<String, ?> form) {
        Map<String, Object> fields = new LinkedHashMap<>(form);
        fields.putIfAbsent("csrf", csrf);
        return request().contentType("application/x-www-form-urlencoded; charset=UTF-8").formParams(fields)
                .post(path);
    }

    /** POSTs a form without any CSRF token (or with the one given in it). */
    public Response postWithoutCsrf(String path, Map<String, ?> form) {
        return request().contentType("application/x-www-form-urlencoded; charset=UTF-8").formParams(form).post(path);
    }

    /** The fields a browser would submit for a form as rendered (inputs, checked boxes, selects, textareas). */
    public static Map<String, List<String>> fields(Element form) {
        Map<String, List<String>> fields = new LinkedHashMap<>();
        for (Element input : form.select("input[name], select[name], textarea[name]")) {
            if (input.closest("template") != null) {
                continue;
            }
            String name = input.attr("name");
            String value;
            if (input.tagName().equals("select")) {
                Element selected = input.selectFirst("option[selected]");
                if (selected == null) {
                    selected = input.selectFirst("option");
                }
                value = selected == null ? "" : selected.attr("value");
            } else if (input.tagName().equals("textarea")) {
                value = input.wholeText();
            } else if (input.attr("type").equals("checkbox")) {
                if (!input.hasAttr("checked")) {
                    continue;
                }
                value = input.hasAttr("value") ? input.attr("value") : "on";
            } else {
                value = input.attr("value");
            }
            fields.computeIfAbsent(name, k -> new ArrayList<>()).add(value);
        }
        return fields;
    }

    /** Single values of {@link #fields}, for RestAssured. */
    public static Map<String, Object> single(Map<String, List<String>> fields) {
        Map<String, Object> single = new LinkedHashMap<>();
        fields.forEach((k, v) -> single.put(k, v.get(0)));
        return single;
    }
}

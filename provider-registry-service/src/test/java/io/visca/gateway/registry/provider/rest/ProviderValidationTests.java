package io.visca.gateway.registry.provider.rest;

import static io.visca.gateway.registry.TestApi.admin;
import static io.visca.gateway.registry.TestApi.json;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;

import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;

/** Each kind of mistake is a 400 naming the field and what is expected; all of them at once when there are many. */
@QuarkusTest
class ProviderValidationTests {

    private static final String MODELS = "'models':[{'id':'m'}]";
    private static final String BASE = "'name':'v','type':'openai-compatible','base_url':'https://a.example.com',";

    static Stream<Arguments> mistakes() {
        return Stream.of(
                bad("missing name", "{'type':'ollama','base_url':'http://h:1'," + MODELS + "}", "name", "is required"),
                bad("missing type", "{'name':'v','base_url':'http://h:1'," + MODELS + "}", "type", "is required"),
                // since issue 15, types whose endpoints list their models (openai-compatible, anthropic, ollama, tgi)
                // may leave models out: ModelDiscoveryTests; replicate and custom may not
                bad("missing models", "{'name':'v','type':'replicate','base_url':'http://h:1'}", "models",
                        "is required for type replicate: it has no model listing"),
                bad("empty models", "{'name':'v','type':'replicate','base_url':'https://a.example.com','models':[]}",
                        "models", "is required for type replicate"),
                bad("name syntax", "{'name':'Bad Name!','type':'ollama','base_url':'http://h:1'," + MODELS + "}",
                        "name", "[a-z0-9][a-z0-9._-]{0,62}"),
                bad("name too long", "{'name':'" + "a".repeat(64) + "','type':'ollama','base_url':'http://h:1',"
                        + MODELS + "}", "name", "at most 63"),
                bad("unknown type", "{'name':'v','type':'gpt','base_url':'http://h:1'," + MODELS + "}", "type",
                        "known types: openai-compatible, anthropic, ollama, tgi, replicate, custom"),
                bad("malformed url", "{'name':'v','type':'ollama','base_url':'http://exa mple.com'," + MODELS + "}",
                        "base_url", "not a valid URL"),
                bad("non-http url", "{'name':'v','type':'ollama','endpoints':[{'base_url':'http://h:1'},"
                        + "{'base_url':'ftp://h/x'}]," + MODELS + "}", "endpoints[1].base_url", "http:// or https://"),
                bad("relative url", "{'name':'v','type':'ollama','base_url':'/v1'," + MODELS + "}", "base_url",
                        "http:// or https://"),
                bad("credentials in url", "{'name':'v','type':'ollama','base_url':'https://u:p@h.example.com',"
                        + MODELS + "}", "base_url", "must not contain credentials"),
                bad("weight zero", "{'name':'v','type':'ollama','endpoints':[{'base_url':'http://h:1','weight':0}],"
                        + MODELS + "}", "endpoints[0].weight", "from 1 to 10000"),
                bad("weight negative", "{'name':'v','type':'ollama','endpoints':[{'base_url':'http://h:1','weight':-2}],"
                        + MODELS + "}", "endpoints[0].weight", "from 1 to 10000"),
                bad("weight as string", "{'name':'v','type':'ollama','endpoints':[{'base_url':'http://h:1','weight':'2'}],"
                        + MODELS + "}", "endpoints[0].weight", "must be an integer"),
                bad("no endpoints", "{'name':'v','type':'ollama'," + MODELS + "}", "endpoints", "is required"),
                bad("empty endpoints", "{'name':'v','type':'ollama','endpoints':[]," + MODELS + "}", "endpoints",
                        "from 1 to 64"),
                bad("base_url and endpoints", "{'name':'v','type':'ollama','base_url':'http://h:1',"
                        + "'endpoints':[{'base_url':'http://h:2'}]," + MODELS + "}", "base_url", "not both"),
                bad("duplicate endpoint ids", "{'name':'v','type':'ollama','endpoints':[{'id':'a','base_url':'http://h:1'},"
                        + "{'id':'a','base_url':'http://h:2'}]," + MODELS + "}", "endpoints[1].id",
                        "duplicate endpoint id 'a' (also endpoints[0])"),
                bad("endpoint id with slash", "{'name':'v','type':'ollama','endpoints':[{'id':'a/b','base_url':'http://h:1'}],"
                        + MODELS + "}", "endpoints[0].id", "no '/'"),
                bad("negative price", "{" + BASE + "'models':[{'id':'m','cost_per_1k_input':-0.001}]}",
                        "models[0].cost_per_1k_input", "must not be negative"),
                bad("price not a number", "{" + BASE + "'models':[{'id':'m','cost_per_1k_output':'cheap'}]}",
                        "models[0].cost_per_1k_output", "must be a number"),
                bad("duplicate model ids", "{" + BASE + "'models':[{'id':'m'},{'id':'x'},{'id':'m'}]}",
                        "models[2].id", "duplicate model id 'm' (also models[0])"),
                bad("reserved model id", "{" + BASE + "'models':[{'id':'auto'}]}", "models[0].id", "reserved"),
                bad("unknown mode", "{" + BASE + "'models':[{'id':'m','mode':'chatty'}]}", "models[0].mode",
                        "one of: chat, completion, embedding"),
                bad("context window zero", "{" + BASE + "'models':[{'id':'m','context_window':0}]}",
                        "models[0].context_window", "from 1 to 100000000 tokens"),
                bad("connect timeout zero", "{" + BASE + MODELS + ",'timeouts':{'connect_ms':0}}", "timeouts.connect_ms",
                        "from 1 to 300000 ms"),
                bad("first byte over total", "{" + BASE + MODELS + ",'timeouts':{'first_byte_ms':5000,'total_ms':1000}}",
                        "timeouts.first_byte_ms", "must not exceed total_ms (1000)"),
                bad("total timeout too long", "{" + BASE + MODELS + ",'timeouts':{'total_ms':100000000}}",
                        "timeouts.total_ms", "from 1 to 86400000 ms"),
                bad("interval zero", "{" + BASE + MODELS + ",'health_check':{'interval_seconds':0}}",
                        "health_check.interval_seconds", "from 1 to 86400 seconds"),
                bad("health timeout over interval", "{" + BASE + MODELS
                        + ",'health_check':{'interval_seconds':10,'timeout_seconds':20}}",
                        "health_check.timeout_seconds", "must not exceed interval_seconds (10)"),
                bad("health endpoint a URL", "{" + BASE + MODELS
                        + ",'health_check':{'endpoint':'https://collector.example.net/health'}}",
                        "health_check.endpoint", "must be a path, not a URL"),
                bad("health endpoint another host", "{" + BASE + MODELS
                        + ",'health_check':{'endpoint':'//collector.example.net/health'}}",
                        "health_check.endpoint", "must not start with '//', which names another host"),
                bad("health endpoint with a fragment", "{" + BASE + MODELS + ",'health_check':{'endpoint':'/h#x'}}",
                        "health_check.endpoint", "must not have a fragment"),
                bad("healthy status out of range", "{" + BASE + MODELS + ",'health_check':{'healthy_statuses':[200,99]}}",
                        "health_check.healthy_statuses[1]", "from 100 to 599"),
                bad("too many retries", "{" + BASE + MODELS + ",'retry':{'max_retries':11}}", "retry.max_retries",
                        "from 0 to 10"),
                bad("rate limit zero", "{" + BASE + MODELS + ",'rate_limit':{'requests_per_minute':0}}",
                        "rate_limit.requests_per_minute", "from 1 to"),
                bad("reference opened only", "{" + BASE + MODELS + ",'auth':{'auth_type':'bearer','api_key':'${'}}",
                        "auth.api_key", "malformed environment reference"),
                bad("empty reference", "{" + BASE + MODELS + ",'auth':{'auth_type':'bearer','api_key':'${}'}}",
                        "auth.api_key", "malformed environment reference"),
                bad("reference starting with a digit", "{" + BASE + MODELS
                        + ",'auth':{'auth_type':'bearer','api_key':'${1X}'}}", "auth.api_key",
                        "malformed environment reference"),
                bad("command-style reference", "{" + BASE + MODELS + ",'auth':{'auth_type':'bearer','api_key':'$(X)'}}",
                        "auth.api_key", "malformed environment reference"),
                bad("reference inside text", "{" + BASE + MODELS
                        + ",'auth':{'auth_type':'bearer','api_key':'sk-${KEY}'}}", "auth.api_key",
                        "malformed environment reference"),
                bad("unclosed reference", "{" + BASE + MODELS + ",'auth':{'auth_type':'bearer','api_key':'${KEY'}}",
                        "auth.api_key", "malformed environment reference"),
                bad("shell variable", "{" + BASE + MODELS + ",'api_key':'$OPENAI_API_KEY'}", "api_key",
                        "looks like a shell variable"),
                bad("bad reference in basic password", "{" + BASE + MODELS
                        + ",'auth':{'auth_type':'basic','username':'u','password':'${PASS WORD}'}}", "auth.password",
                        "malformed environment reference"),
                bad("header auth without header_name", "{" + BASE + MODELS
                        + ",'auth':{'auth_type':'header','api_key':'${TEST_API_KEY}'}}", "auth.header_name",
                        "is required for auth_type header"),
                bad("basic without password", "{" + BASE + MODELS + ",'auth':{'auth_type':'basic','username':'u'}}",
                        "auth.password", "is required for auth_type basic"),
                bad("oauth2 without token_url", "{" + BASE + MODELS + ",'auth':{'auth_type':'oauth2_client_credentials',"
                        + "'client_id':'c','client_secret':'${S_SECRET}'}}", "auth.token_url", "is required"),
                bad("bearer without key", "{" + BASE + MODELS + ",'auth':{'auth_type':'bearer'}}", "auth.api_key",
                        "is required for auth_type bearer"),
                bad("unknown auth_type", "{" + BASE + MODELS + ",'auth':{'auth_type':'digest'}}", "auth.auth_type",
                        "one of: bearer, header, basic, none, oauth2_client_credentials"),
                bad("field of another auth_type", "{" + BASE + MODELS
                        + ",'auth':{'auth_type':'bearer','api_key':'${TEST_API_KEY}','username':'u'}}", "auth.username",
                        "not used by auth_type bearer"),
                bad("api_key and auth", "{" + BASE + MODELS + ",'api_key':'${TEST_API_KEY}','auth':{'auth_type':'none'}}",
                        "api_key", "not both"),
                bad("custom without request", "{'name':'v','type':'custom','base_url':'http://h:1'," + MODELS
                        + ",'transform':{'language':'jq','request':'.','response':'.'}}", "request",
                        "required for type custom"),
                bad("custom without transform", "{'name':'v','type':'custom','base_url':'http://h:1'," + MODELS
                        + ",'request':{'path':'/generate'}}", "transform", "required for type custom"),
                bad("jq that does not compile", "{'name':'v','type':'custom','base_url':'http://h:1'," + MODELS
                        + ",'request':{'path':'/generate'},'transform':{'request':'{prompt: .messages[-1',"
                        + "'response':'.'}}", "transform.request", "does not compile as jq"),
                bad("transform language other than jq", "{'name':'v','type':'custom','base_url':'http://h:1'," + MODELS
                        + ",'request':{'path':'/generate'},'transform':{'language':'jsonata','request':'.',"
                        + "'response':'.'}}", "transform.language", "only jq"),
                bad("literal credentials in a custom header", "{'name':'v','type':'custom','base_url':'http://h:1',"
                        + MODELS + ",'request':{'path':'/g','headers':{'Authorization':'Bearer sk-1'}},"
                        + "'transform':{'request':'.','response':'.'}}", "request.headers.Authorization",
                        "carries credentials"),
                bad("request on a non-custom type", "{" + BASE + MODELS + ",'request':{'path':'/x'}}", "request",
                        "only used by type custom"),
                bad("misspelt top-level field", "{'name':'v','type':'ollama','base_url':'http://h:1','modles':[]}",
                        "modles", "did you mean 'models'?"),
                bad("misspelt nested field", "{" + BASE + "'models':[{'id':'m','cost_per_1k_inptu':1}]}",
                        "models[0].cost_per_1k_inptu", "did you mean 'cost_per_1k_input'?"),
                bad("unknown field", "{" + BASE + MODELS + ",'description':'x'}", "description", "unknown field"),
                bad("enabled not a boolean", "{" + BASE + MODELS + ",'enabled':'yes'}", "enabled", "true or false"),
                bad("redacted placeholder on create", "{" + BASE + MODELS + ",'api_key':'********'}", "auth.api_key",
                        "stands for the stored secret"),
                bad("body not an object", "[1,2]", "", "must be a JSON object"));
    }

    private static Arguments bad(String mistake, String body, String field, String message) {
        return Arguments.of(mistake, json(body), field, message);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("mistakes")
    void rejectsTheMistakeNamingTheField(String mistake, String body, String field, String message) {
        String response = admin().body(body).post("/api/providers").then()
                .statusCode(400)
                .body("error.type", equalTo("invalid_request_error"))
                .body("error.code", equalTo("validation_failed"))
                .extract().asString();
        List<Map<String, String>> violations = JsonPath.from(response).getList("error.violations");
        boolean found = violations.stream()
                .anyMatch(v -> field.equals(v.get("field")) && v.get("message").contains(message));
        org.junit.jupiter.api.Assertions.assertTrue(found, "expected a violation on '" + field + "' containing '"
                + message + "', got " + violations);
    }

    @Test
    void listsEveryViolationAtOnce() {
        String body = json("{'name':'Not Valid','type':'gpt','endpoints':[{'base_url':'http://h:1'},"
                + "{'base_url':'nope','weight':0}],'api_key':'${1X}','models':[{'id':'m','cost_per_1k_input':-1},"
                + "{'id':'m'}],'timeouts':{'connect_ms':0},'extra':true}");
        admin().body(body).post("/api/providers").then().statusCode(400)
                .body("error.param", equalTo("extra"))
                .body("error.violations.size()", equalTo(9))
                .body("error.violations.field", equalTo(List.of("extra", "name", "type", "endpoints[1].base_url",
                        "endpoints[1].weight", "api_key", "models[0].cost_per_1k_input", "models[1].id",
                        "timeouts.connect_ms")))
                .body("error.message", containsString("9 problems"));
    }

    @Test
    void neverEchoesASecretInAViolation() {
        String body = json("{" + BASE + MODELS + ",'auth':{'auth_type':'bearer','api_key':'sk-live-${oops'}}");
        admin().body(body).post("/api/providers").then().statusCode(400)
                .body(not(containsString("sk-live")));
    }

    @ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(strings = { "/health", "health", "./health", "../health",
            "/health?ready=1" })
    void storesAHealthCheckPathAsWritten(String path) {
        String name = io.visca.gateway.registry.TestApi.uniqueName("health-path");
        admin().body(json("{'name':'" + name + "','type':'openai-compatible','base_url':'https://a.example.com/v1',"
                + MODELS + ",'health_check':{'endpoint':'" + path + "'}}")).post("/api/providers").then()
                .statusCode(201).body("health_check.endpoint", equalTo(path));
    }

    @Test
    void validatesAReplaceLikeACreate() {
        String name = io.visca.gateway.registry.TestApi.uniqueName("validate-put");
        io.visca.gateway.registry.TestApi.create(io.visca.gateway.registry.TestApi.openAiProvider(name, "${TEST_API_KEY}"));
        admin().body(json("{'type':'openai-compatible','base_url':'https://a.example.com','models':[{'id':'m'},"
                + "{'id':'m'}]}")).put("/api/providers/" + name).then().statusCode(400)
                .body("error.violations.field", hasItem("models[1].id"));
    }
}

package io.visca.gateway.router.adapter.custom;

import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.visca.gateway.fakes.FakeCustomServer;
import io.visca.gateway.router.testing.RegistryAdmin;
import io.visca.gateway.router.testing.RouterApi;

/**
 * A custom provider whose jq request transform is ordinary on the registry's save-time sample but hostile on some
 * requests (the prompt picks the program): the router answers those with a 502 naming the provider and the bound,
 * and keeps serving everything else.
 */
@QuarkusTest
class CustomTransformBoundsTests {

    private static final String PROVIDER = "t-jq-bounds";
    private static final String MODEL = "jq-bounds-13b";
    private static final String REQUEST_TRANSFORM = """
            .messages[-1].content as $p
            | if $p == "loop" then last(range(1e18))
              elif $p == "recurse" then (def f: f; f)
              elif $p == "grow" then {prompt: ("x" * 1e9)}
              elif $p == "collect" then {prompt: ([range(1e8)] | length | tostring)}
              elif $p == "heavy" then {prompt: ([range(100000)] | length | tostring)}
              else {prompt: $p, max_tokens: (.max_tokens // 100)} end""";
    private static FakeCustomServer custom;

    @BeforeAll
    static void provider() {
        custom = FakeCustomServer.start().reply("fine");
        ObjectNode provider = JsonNodeFactory.instance.objectNode().put("name", PROVIDER).put("type", "custom")
                .put("base_url", custom.baseUrl());
        provider.putObject("auth").put("auth_type", "none");
        provider.putObject("request").put("method", "POST").put("path", "/generate");
        provider.putObject("transform").put("language", "jq").put("request", REQUEST_TRANSFORM)
                .put("response", "{content: .output.text}");
        provider.putArray("models").addObject().put("id", MODEL);
        RegistryAdmin.putProvider(provider.toString());
        RouterApi.awaitModel(MODEL);
    }

    @AfterAll
    static void stop() {
        RegistryAdmin.deleteProvider(PROVIDER);
        custom.close();
    }

    private static Response chat(String prompt, boolean stream) {
        return RouterApi.request().body("{\"model\":\"" + MODEL + "\",\"stream\":" + stream
                + ",\"messages\":[{\"role\":\"user\",\"content\":\"" + prompt + "\"}]}").post("/v1/chat/completions");
    }

    @ParameterizedTest(name = "{0}, stream {1}")
    @CsvSource({ "loop, false", "recurse, false", "grow, false", "collect, false", "loop, true", "grow, true" })
    void aTransformPastItsBoundIsA502NamingTheProviderAndTheBound(String prompt, boolean stream) {
        chat(prompt, stream).then().statusCode(502).contentType(containsString("application/json"))
                .body("error.type", equalTo("upstream_error"))
                .body("error.code", equalTo("transform_bound_exceeded"))
                .body("error.message", containsString("Provider '" + PROVIDER + "'"))
                .body("error.message", containsString("its jq request transform exceeded the jq "))
                .body("error.message", containsString("bound"))
                .body("error.message", not(containsString("at io.")))
                .body("error.message", not(containsString("Exception")));
        assertEquals(List.of(), custom.requests().stream().filter(r -> r.body().contains(prompt)).toList(),
                "nothing was sent upstream");
    }

    @Test
    void aHeavyButBoundedTransformFinishesOnTheWorkers() {
        chat("heavy", false).then().statusCode(200).body("choices[0].message.content", equalTo("fine"));
    }

    @Test
    void staysHealthyAndServesOrdinaryRequestsWhileHostileOnesRun() throws Exception {
        List<CompletableFuture<Integer>> hostile = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            String prompt = i % 2 == 0 ? "loop" : "collect";
            hostile.add(CompletableFuture.supplyAsync(() -> chat(prompt, false).statusCode()));
        }
        for (int i = 0; i < 5; i++) {
            chat("hello " + i, false).then().statusCode(200).body("choices[0].message.content", equalTo("fine"));
        }
        RouterApi.management().get("/q/health/ready").then().statusCode(200);
        for (CompletableFuture<Integer> request : hostile) {
            int status = request.get();
            org.junit.jupiter.api.Assertions.assertTrue(status == 502 || status == 503, "status " + status);
        }
        chat("after", true).then().statusCode(200).body(containsString("fine"));
    }
}

// The same request with the official OpenAI Node SDK (npm install openai): extra_body's fields go in the body.
// GATEWAY_KEY=... node routing-with-custom-models.mjs
import OpenAI from "openai";

const client = new OpenAI({
  baseURL: process.env.GATEWAY_URL ?? "http://127.0.0.1:8080/v1",
  apiKey: process.env.GATEWAY_KEY,
});

const { data: response, response: raw } = await client.chat.completions
  .create({
    model: "auto",
    messages: [{ role: "user", content: "Analyze this data..." }],
    routing: {
      strategy: "cost-optimized",
      providers: ["my-vllm-server", "openai", "anthropic"],
      fallback: true,
    },
  })
  .withResponse();
console.log(raw.headers.get("x-visca-provider"), raw.headers.get("x-visca-model"), raw.headers.get("x-visca-skipped"));
console.log(response.choices[0].message.content);

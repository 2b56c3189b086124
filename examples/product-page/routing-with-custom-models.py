# The product page's "Routing with Custom Models", as printed but for base_url and api_key:
# python3 routing-with-custom-models.py (pip install openai)
import os

import openai

client = openai.OpenAI(
    base_url=os.environ.get("GATEWAY_URL", "http://127.0.0.1:8080/v1"),
    api_key=os.environ["GATEWAY_KEY"]
)

raw = client.chat.completions.with_raw_response.create(
    model="auto",
    messages=[{"role": "user", "content": "Analyze this data..."}],
    extra_body={
        "routing": {
            "strategy": "cost-optimized",
            "providers": ["my-vllm-server", "openai", "anthropic"],
            "fallback": True
        }
    }
)
response = raw.parse()
print(raw.headers.get("x-visca-provider"), raw.headers.get("x-visca-model"), raw.headers.get("x-visca-skipped"))
print(response.choices[0].message.content)

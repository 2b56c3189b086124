# The product page's "Using Custom Models", as printed but for base_url and api_key (a key from
# POST /api/keys on the registry): python3 using-custom-models.py (pip install openai)
import os

import openai

client = openai.OpenAI(
    base_url=os.environ.get("GATEWAY_URL", "http://127.0.0.1:8080/v1"),
    api_key=os.environ["GATEWAY_KEY"]
)

# Use your custom model
response = client.chat.completions.create(
    model="llama-3-70b",  # Your custom model ID
    messages=[{"role": "user", "content": "Hello!"}]
)
print(response.choices[0].message.content)

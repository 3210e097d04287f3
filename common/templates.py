"""Prompt and response rendering, as in the seed design's InputOutputDataset.

``build_prompt`` renders the student's situation as a user turn with the tokenizer's chat template (Qwen2.5
ChatML: ``<|im_start|>user ... <|im_end|>`` then the open ``<|im_start|>assistant`` header), so the model is
trained and queried in exactly the format it will be served in. ``build_response`` closes the assistant turn
with the template's end-of-turn token, which is the EOS the generator stops at.

Token ids come from ``prompt_ids`` / ``response_ids`` only: the template's own markup is tokenised with its special
tokens, while every text from users or data (the situation, the system prompt, the response) is tokenised as text,
so a ``<|im_end|>`` typed into a field stays characters and can never close a turn or open a new one.
"""
import re

# Qwen2.5's special tokens and (tool-free) ChatML template. The default system message is Qwen2's.
ENDOFTEXT, IM_START, IM_END = "<|endoftext|>", "<|im_start|>", "<|im_end|>"
DEFAULT_SYSTEM_MESSAGE = "You are a helpful assistant."
CHATML_TEMPLATE = (
    "{%- if messages[0]['role'] != 'system' %}"
    "{{- '<|im_start|>system\\n" + DEFAULT_SYSTEM_MESSAGE + "<|im_end|>\\n' }}"
    "{%- endif %}"
    "{%- for message in messages %}"
    "{{- '<|im_start|>' + message['role'] + '\\n' + message['content'] + '<|im_end|>\\n' }}"
    "{%- endfor %}"
    "{%- if add_generation_prompt %}"
    "{{- '<|im_start|>assistant\\n' }}"
    "{%- endif %}"
)
FALLBACK_TEMPLATE = "{system}\n\nUser:\n{prompt}\n\nAssistant:\n"  # a tokenizer without a chat template


def has_chat_template(tokenizer) -> bool:
    return bool(getattr(tokenizer, "chat_template", None))


def build_prompt(tokenizer, prompt: str, system_prompt: str) -> str:
    """The text that precedes the response: system + user turn + the open assistant header."""
    if has_chat_template(tokenizer):
        messages = [{"role": "user", "content": prompt}]
        if system_prompt:
            messages.insert(0, {"role": "system", "content": system_prompt})
        return tokenizer.apply_chat_template(messages, tokenize=False, add_generation_prompt=True)
    return FALLBACK_TEMPLATE.format(system=system_prompt, prompt=prompt)


_SLOT = "\ue000{}\ue000"  # a private-use character pair marks where a text goes in the rendered template
_SLOTS = re.compile("\ue000(\\d)\ue000")


def text_ids(tokenizer, text: str) -> list:
    """Token ids of ``text`` as plain text: special-token strings inside it are split into ordinary tokens."""
    return tokenizer(text, add_special_tokens=False, split_special_tokens=True)["input_ids"] if text else []


def prompt_parts(tokenizer, prompt: str, system_prompt: str) -> tuple:
    """``(head, content, tail)`` token ids of ``build_prompt``: ``content`` is the student's text, ``head`` and
    ``tail`` the template with the system prompt (markup tokenised with its special tokens, texts as text)."""
    texts = [prompt, system_prompt or ""]
    rendered = build_prompt(tokenizer, _SLOT.format(0), _SLOT.format(1) if system_prompt else "")
    pieces = _SLOTS.split(rendered)  # markup, slot index, markup, slot index, ..., markup
    parts, current = [], []
    for i, piece in enumerate(pieces):
        if i % 2 == 0:
            current += tokenizer(piece, add_special_tokens=False)["input_ids"] if piece else []
        elif piece == "0":
            parts.append(current)
            current = []
        else:
            current += text_ids(tokenizer, texts[int(piece)])
    if len(parts) != 1:
        raise ValueError("the chat template must place the user's message exactly once")
    return parts[0], text_ids(tokenizer, prompt), current


def prompt_ids(tokenizer, prompt: str, system_prompt: str) -> list:
    """Token ids of the text that precedes the response (``build_prompt``), user and data texts as text."""
    head, content, tail = prompt_parts(tokenizer, prompt, system_prompt)
    return head + content + tail


def response_ids(tokenizer, response: str) -> list:
    """Token ids of the response as text, then the end-of-turn token."""
    eos = [tokenizer.eos_token_id] if tokenizer.eos_token_id is not None else []
    return text_ids(tokenizer, response) + eos


def end_of_turn(tokenizer) -> str:
    """The token that ends an assistant turn: the tokenizer's EOS (``<|im_end|>`` for Qwen2.5)."""
    return tokenizer.eos_token or ""


def build_response(tokenizer, response: str) -> str:
    """The response text followed by the end-of-turn token, so the model learns where to stop."""
    return response + end_of_turn(tokenizer)

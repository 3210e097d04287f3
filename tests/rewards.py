"""Rule-based rewards for PPO tests (loaded through --reward_fn tests/rewards.py:NAME)."""

FAVOURED = set("etaoin shrdlu")


def common_letters(prompts, responses):
    """Share of a response's characters among the twelve most common English letters and space: a dense
    per-token signal a tiny random model can learn within a few dozen PPO iterations."""
    return [sum(c in FAVOURED for c in r) / max(1, len(r)) for r in responses]

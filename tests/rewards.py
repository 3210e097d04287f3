"""Rule-based rewards for PPO tests (loaded through --reward_fn tests/rewards.py:NAME)."""

FAVOURED = set("etaoin shrdlu")


def common_letters(prompts, responses):
    """Share of a response's characters among the twelve most common English letters and space: a dense
    per-token signal a tiny random model can learn within a few dozen PPO iterations."""
    return [sum(c in FAVOURED for c in r) / max(1, len(r)) for r in responses]


def nan_after_first_call(prompts, responses, _calls=[0]):
    """``common_letters``, except that from the second call on the first response's reward is NaN (a broken
    reward function after a good start: the run must stop there, with its first checkpoint kept)."""
    _calls[0] += 1
    scores = common_letters(prompts, responses)
    if _calls[0] > 1:
        scores[0] = float("nan")
    return scores

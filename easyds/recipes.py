"""A run's recipe, resolved: the preset's recipe file read into per-stage flags, the data files of a language, and the
values the pipeline fills in before a stage starts (generation budgets from the SFT data; a study's DPO steps from
the RLHF route's measured compute)."""
import json
import math
import os

from common.config import as_flags, flag_value, load_recipe
from common.data import PreferenceDataset, read_jsonl
from common.modeling import load_tokenizer
from common.templates import response_ids

from .results import flops_estimate
from .situations import SYSTEM_PROMPT
from .stages import ROOT, Plan, Stage

CONFIGS = os.path.join(ROOT, "launch", "configs")  # the recipes (a commented YAML file a preset), DeepSpeed configs
# Generation budgets resolved from the SFT responses' token lengths (end of turn included) with the model's tokenizer,
# rounded up to a multiple of 8: PPO rollouts cover 95% of them, evaluation 99% (``response_budgets``).
AUTO, AUTO_EVAL = "auto:p95", "auto:p99"
# A study's DPO steps, resolved when its stage starts: as many as make the DPO route's estimated training FLOPs equal
# the RLHF route's (the shared SFT aside: RM + PPO against DPO), from the RM and PPO runs' measured tokens and the DPO
# data's token lengths (``match_compute``).
MATCH = "auto:match_flops"
SECTIONS = ("common", "sft", "rm", "ppo", "gae", "critic_free", "dpo", "eval", "collect")


def preset_names() -> list:
    """The recipes in ``launch/configs/``: each ``NAME.yaml`` is the preset NAME."""
    return sorted(os.path.splitext(f)[0] for f in os.listdir(CONFIGS) if f.endswith(".yaml"))


def recipe_path(preset: str) -> str:
    """A preset's recipe file: ``launch/configs/NAME.yaml``, or a recipe file of the user's own."""
    return preset if preset.endswith((".yaml", ".yml")) else os.path.join(CONFIGS, f"{preset}.yaml")


def load_preset(preset: str) -> dict:
    """A recipe as the plan uses it: every section a list of flags (``curve`` is ``eval`` plus its own), the
    DeepSpeed config as a path."""
    path = recipe_path(preset)
    recipe = load_recipe(path)
    out = {"model": recipe.get("model"), "launcher": recipe.get("launcher", "python"), "study": bool(
        recipe.get("study")), "deepspeed_config": recipe.get("deepspeed_config")}
    if out["deepspeed_config"]:
        out["deepspeed_config"] = os.path.join(os.path.dirname(os.path.abspath(path)), out["deepspeed_config"])
    for section in SECTIONS:
        out[section] = as_flags(recipe.get(section))
    out["curve"] = as_flags({**(recipe.get("eval") or {}), **(recipe.get("curve") or {})})
    return out


def data_files(lang: str) -> dict:
    d = os.path.join(ROOT, "data", "easyds", lang)
    return {k: os.path.join(d, f"{k}.jsonl") for k in ("sft_train", "sft_eval", "pref_train", "pref_eval",
                                                       "ppo_prompts", "eval_prompts")}


def match_compute(stage: Stage, seed_dir: str, model: str) -> dict:
    """Resolve ``--max_steps auto:match_flops`` of a DPO stage: the steps that give the DPO route the RLHF route's
    estimated training FLOPs (RM + PPO; the SFT both share is left out), from the finished RM and PPO runs of the
    seed and the mean tokens of a DPO step on its training file (prompt twice, chosen and rejected, truncated as
    DPO truncates). Returns what it computed, for pipeline.json and the report."""
    def summary(name):
        with open(os.path.join(seed_dir, name, "run_summary.json"), encoding="utf-8") as f:
            return json.load(f)

    target = flops_estimate("rm", summary("rm")) + flops_estimate("ppo", summary("ppo"))
    n_params = summary("rm")["config"].get("total_params") or summary("ppo")["config"]["actor_total_params"]
    args = stage.args
    data = PreferenceDataset(read_jsonl(flag_value(args, "--train_file"), ("prompt", "chosen", "rejected")),
                             load_tokenizer(model), int(flag_value(args, "--max_source_length", 256)),
                             int(flag_value(args, "--max_target_length", 128)), system_prompt=SYSTEM_PROMPT)
    pair_tokens = sum(2 * len(e["prompt_ids"]) + len(e["chosen_ids"]) + len(e["rejected_ids"])
                      for e in data.examples) / len(data.examples)
    batch = int(flag_value(args, "--per_device_train_batch_size", 8)) * int(
        flag_value(args, "--gradient_accumulation_steps", 1))
    per_step = flops_estimate("dpo", {"tokens_seen": batch * pair_tokens,
                                      "config": {"total_params": n_params, "lora_rank": int(flag_value(
                                          args, "--lora_rank", 0))}})
    steps = max(1, round(target / per_step))
    stage.args = [str(steps) if a == MATCH else (a.replace(MATCH, str(steps)) if MATCH in a else a) for a in args]
    return {"rlhf_flops": target, "dpo_flops_per_step": per_step, "dpo_steps": steps,
            "dpo_flops": steps * per_step, "dpo_tokens_per_step": batch * pair_tokens}


def response_budgets(model: str, sft_file: str) -> dict:
    """``{AUTO: n95, AUTO_EVAL: n99, "p95": ..., "p99": ...}``: token lengths of the SFT responses (end of turn
    included, the model's tokenizer) at the 95th and 99th percentile, each rounded up to a multiple of 8.

    A budget below the SFT length distribution cuts SFT-like responses mid-sentence: in PPO every cut rollout takes
    the missing-end-of-turn penalty and is scored at a mid-text token, so the policy learns to stop early; in
    evaluation a cut response fails the rubric for a reason that is not the model's.
    """
    tokenizer = load_tokenizer(model)
    lengths = sorted(len(response_ids(tokenizer, r["response"]))
                     for r in read_jsonl(sft_file, ("response",)))
    quantile = lambda q: lengths[min(len(lengths) - 1, math.ceil(q * len(lengths)) - 1)]  # noqa: E731
    up8 = lambda n: -(-n // 8) * 8  # noqa: E731
    p95, p99 = quantile(0.95), quantile(0.99)
    return {AUTO: up8(p95), AUTO_EVAL: up8(p99), "p95": p95, "p99": p99, "mean": sum(lengths) / len(lengths)}


def resolve_budgets(plan: Plan, budgets: dict) -> list:
    """Put the budgets into every stage's arguments; returns a warning per stage whose last ``--max_new_tokens``
    (a --stage_args override wins) is below the SFT responses' 95th percentile."""
    warnings = []
    def resolve(arg: str) -> str:  # "auto:p95" or "--max_new_tokens=auto:p95"
        flag, eq, value = arg.partition("=")
        if arg in (AUTO, AUTO_EVAL):
            return str(budgets[arg])
        return f"{flag}={budgets[value]}" if eq and value in (AUTO, AUTO_EVAL) else arg

    for stage in plan.stages:
        stage.args = [resolve(a) for a in stage.args]
        given = [a.split("=", 1)[1] if a.startswith("--max_new_tokens=") else stage.args[i + 1]
                 for i, a in enumerate(stage.args) if a.startswith("--max_new_tokens")]
        if given and int(given[-1]) < budgets["p95"]:
            warnings.append(f"[pipeline] WARNING {stage.name}: --max_new_tokens {given[-1]} is below the 95th "
                            f"percentile of the SFT responses ({budgets['p95']} tokens): SFT-like responses will be "
                            "cut mid-sentence")
    return warnings

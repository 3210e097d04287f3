"""Argument groups shared by every stage, and their validation.

Pure: imports only the standard library. ``transformers.HfArgumentParser`` is imported inside ``parse_args``
so that tests (and tools) can build and validate arguments without the heavy stack. Each field's docstring
is its ``--help`` text.
"""
import dataclasses
import os
import shlex
from dataclasses import dataclass, field
from typing import List, Optional

DEFAULT_SYSTEM_PROMPT = (
    "You are EasyDS, a data-structures tutor. Write a short hint that guides the student "
    "toward the idea without giving away the answer."
)


def _help(text: str):
    return {"help": " ".join(text.split())}


@dataclass
class ModelArguments:
    model_name_or_path: Optional[str] = field(
        default=None, metadata=_help("A local HF checkpoint directory, a run's final/ directory, or embedded:NAME "
                                     "(embedded:tiny-qwen2, embedded:smollm2-135m).")
    )
    tokenizer_name_or_path: Optional[str] = field(
        default=None, metadata=_help("Tokenizer directory when it differs from the model's.")
    )
    trust_remote_code: bool = field(default=False, metadata=_help("Allow model code shipped with the checkpoint."))
    dtype: str = field(
        default="auto", metadata=_help("auto (bfloat16 on a GPU that supports it, float32 otherwise), float32, "
                                       "bfloat16 or float16.")
    )
    gradient_checkpointing: bool = field(
        default=False, metadata=_help("Recompute activations in the backward pass to save memory.")
    )


@dataclass
class DataArguments:
    train_file: Optional[str] = field(default=None, metadata=_help("Training JSONL file."))
    eval_file: Optional[str] = field(default=None, metadata=_help("Evaluation JSONL file (optional)."))
    prompt_column: str = field(default="prompt", metadata=_help("Key of the prompt in each JSONL object."))
    response_column: str = field(default="response", metadata=_help("Key of the response in each JSONL object."))
    max_source_length: int = field(
        default=256, metadata=_help("Most prompt tokens (chat template included); longer student text is cut.")
    )
    max_target_length: int = field(default=128, metadata=_help("Most response tokens; longer responses are cut."))
    system_prompt: str = field(default=DEFAULT_SYSTEM_PROMPT, metadata=_help("System message of the chat template."))
    max_eval_samples: int = field(default=0, metadata=_help("Use N evaluation items spread evenly over the file (0 = all)."))
    num_samples: int = field(
        default=3, metadata=_help("Sample generations on evaluation prompts printed and logged after training.")
    )


@dataclass
class PeftArguments:
    lora_rank: int = field(default=8, metadata=_help("LoRA rank; 0 = full fine-tuning."))
    lora_alpha: float = field(default=32.0, metadata=_help("LoRA scaling numerator (scaling = alpha / rank)."))
    lora_dropout: float = field(default=0.1, metadata=_help("Dropout on the LoRA input."))
    lora_target_modules: str = field(
        default="q_proj,k_proj,v_proj", metadata=_help("Comma-separated module names that get LoRA adapters.")
    )


@dataclass
class TrainingArguments:
    output_dir: Optional[str] = field(default=None, metadata=_help("Run directory (metrics, checkpoints, final/)."))
    deepspeed_config: Optional[str] = field(
        default=None, metadata=_help("DeepSpeed JSON config; 'auto' fields are filled from these arguments. "
                                     "Default: launch/configs/ds_zero0.json.")
    )
    zero_stage: Optional[int] = field(default=None, metadata=_help("Override the config's ZeRO stage (0-3)."))
    local_rank: int = field(default=-1, metadata=_help("Set by the deepspeed launcher."))
    seed: int = field(default=42, metadata=_help("Seed of data order, initialisation, dropout and sampling."))
    max_steps: int = field(default=-1, metadata=_help("Optimizer steps to run; > 0 overrides num_train_epochs."))
    num_train_epochs: float = field(default=1.0, metadata=_help("Passes over the training data."))
    per_device_train_batch_size: int = field(default=4, metadata=_help("Micro-batch size per rank."))
    per_device_eval_batch_size: int = field(default=8, metadata=_help("Evaluation batch size per rank."))
    gradient_accumulation_steps: int = field(default=1, metadata=_help("Micro-batches per optimizer step."))
    learning_rate: float = field(default=2e-4, metadata=_help("Peak learning rate."))
    weight_decay: float = field(default=0.0, metadata=_help("AdamW weight decay."))
    adam_beta1: float = field(default=0.9, metadata=_help("AdamW beta1."))
    adam_beta2: float = field(default=0.999, metadata=_help("AdamW beta2."))
    adam_epsilon: float = field(default=1e-8, metadata=_help("AdamW epsilon."))
    lr_scheduler_type: str = field(default="cosine", metadata=_help("cosine, linear or constant (after warm-up)."))
    warmup_steps: int = field(default=0, metadata=_help("Linear warm-up steps."))
    max_grad_norm: float = field(default=1.0, metadata=_help("Gradient clipping norm (0 = off)."))
    logging_steps: int = field(default=10, metadata=_help("Log training metrics every N steps."))
    eval_steps: int = field(default=0, metadata=_help("Evaluate every N steps (0 = before and after training)."))
    save_steps: int = field(default=100, metadata=_help("Save a resumable checkpoint every N steps (0 = only at the end)."))
    save_total_limit: int = field(default=2, metadata=_help("Keep only the newest N checkpoints."))
    save_snapshots: bool = field(
        default=False, metadata=_help("With every checkpoint also export the model as final/ is exported, to "
                                      "snapshots/step-N/ (kept; for quality curves over training).")
    )
    resume_from_checkpoint: Optional[str] = field(
        default=None, metadata=_help("A checkpoint directory, or 'auto' for the newest one in output_dir/checkpoints.")
    )
    overwrite_output_dir: bool = field(
        default=False, metadata=_help("Start afresh in an output_dir that holds an earlier run: its checkpoints, "
                                      "final/, metrics and tensorboard logs are deleted first.")
    )
    merge_lora: bool = field(
        default=False, metadata=_help("Also export final/merged: the LoRA adapter merged into a standalone model.")
    )


ADVANTAGE_ESTIMATORS = ("gae", "rloo", "grpo", "reinforce_pp")
CRITIC_FLAGS = ("--critic_model_name_or_path", "--critic_learning_rate", "--critic_warmup_steps", "--critic_head",
                "--value_clip_eps")  # refused without a critic (gae)


@dataclass
class PPOArguments:
    actor_model_name_or_path: Optional[str] = field(
        default=None, metadata=_help("The SFT model (a run's final/ LoRA adapter is merged into its base first, so "
                                     "a fresh PPO adapter sits on top of it), a directory or embedded:NAME.")
    )
    critic_model_name_or_path: Optional[str] = field(
        default=None, metadata=_help("Critic start: a reward model's final/ (default: the reward model) or a causal "
                                     "LM (a new value head is added).")
    )
    reward_model_name_or_path: Optional[str] = field(default=None, metadata=_help("A reward model's final/."))
    reward_fn: Optional[str] = field(
        default=None, metadata=_help("FILE.py:FUNCTION, fn(prompts, responses) -> list of floats; replaces the "
                                     "reward model (rule-based rewards).")
    )
    prompt_file: Optional[str] = field(default=None, metadata=_help("JSONL of {\"prompt\": ...} objects."))
    ref_mode: str = field(
        default="separate", metadata=_help("separate: a frozen reference engine; adapter_disabled: the LoRA actor "
                                           "with its adapter switched off (no second copy of the weights).")
    )
    rollout_batch_size: int = field(default=8, metadata=_help("Prompts per rank per PPO iteration."))
    max_new_tokens: int = field(default=64, metadata=_help("Most tokens generated per response."))
    temperature: float = field(default=1.0, metadata=_help("Sampling temperature (log-probs use the same)."))
    top_p: float = field(default=1.0, metadata=_help("Nucleus sampling threshold."))
    generation_mode: str = field(
        default="gathered", metadata=_help("gathered: under ZeRO-3 gather the actor once and decode without the "
                                           "per-module fetch hooks; naive: decode through the hooks.")
    )
    ppo_epochs: int = field(default=4, metadata=_help("Passes over each rollout."))
    advantage_estimator: str = field(
        default="gae", metadata=_help("gae: PPO with a critic (GAE); rloo: leave-one-out baseline over the "
                                      "--samples_per_prompt samples of a prompt; grpo: group-normalised scores; "
                                      "reinforce_pp: returns of the KL-shaped rewards whitened over the global "
                                      "batch (REINFORCE++). rloo, grpo and reinforce_pp need no critic.")
    )
    samples_per_prompt: int = field(
        default=1, metadata=_help("Responses sampled per prompt (K); rloo and grpo need K >= 2.")
    )
    critic_learning_rate: Optional[float] = field(
        default=None, metadata=_help("Critic learning rate (default: --learning_rate).")
    )
    critic_head: Optional[str] = field(
        default=None, metadata=_help("The critic's value head (gae only; default zero): zero (a head at 0 on the "
                                     "critic's body: the mean of a "
                                       "reward normalised on the SFT policy, as lm-human-preferences starts it) or "
                                       "reward (a reward model's own head, trained only at the last token: it reads "
                                       "prefixes with a bias).")
    )
    critic_warmup_steps: int = field(
        default=0, metadata=_help("Iterations at the start that train only the critic (value loss), so the first "
                                  "policy update sees values fitted to the SFT policy's returns (gae only).")
    )
    kl_ctl: str = field(default="adaptive", metadata=_help("adaptive (Ziegler et al. 2019) or fixed."))
    init_kl_coef: float = field(default=0.1, metadata=_help("Initial KL penalty coefficient beta."))
    kl_target: float = field(default=6.0, metadata=_help("Adaptive controller's target KL per sequence (nats)."))
    kl_horizon: int = field(
        default=10000, metadata=_help("Adaptive controller's horizon (samples): beta moves by at most "
                                      "20% x samples per iteration / horizon each iteration.")
    )
    kl_penalty: str = field(
        default="reward", metadata=_help("Where beta*KL enters: reward (k1 on every response token, the unbiased "
                                         "per-token estimator as a reward) or loss (k3 added to the policy loss, "
                                         "as GRPO does).")
    )
    gamma: float = field(default=1.0, metadata=_help("Discount factor."))
    lam: float = field(default=0.95, metadata=_help("GAE lambda."))
    clip_eps: float = field(default=0.2, metadata=_help("Policy ratio clip range."))
    value_clip_eps: Optional[float] = field(
        default=None, metadata=_help("Value clip range around the rollout's values (gae only; default 0.2).")
    )
    reward_clip: float = field(default=0.0, metadata=_help("Clip scores to [-c, c] (0 = off)."))
    missing_eos_penalty: Optional[float] = field(
        default=None, metadata=_help("Subtracted from the score of a response that never ends its turn.")
    )
    overlong_buffer: int = field(
        default=0, metadata=_help("DAPO's soft overlong penalty: the last N tokens before --max_new_tokens cost "
                                  "linearly up to --overlong_penalty (0 = off); the alternative to "
                                  "--missing_eos_penalty.")
    )
    overlong_penalty: float = field(default=1.0, metadata=_help("Largest soft overlong penalty (at the limit)."))
    reward_norm_samples: int = field(
        default=0, metadata=_help("Before training, sample about this many responses (whole rollout batches) from "
                                  "the initial (SFT) policy and normalise the reward model's scores to mean 0, std 1 "
                                  "on them (Ziegler et al. 2019); 0 keeps the reward model's own normalisation.")
    )
    rm_min_accuracy: float = field(
        default=0.6, metadata=_help("Refuse to start when the reward model's recorded held-out accuracy is below "
                                    "this (or unknown) unless --force.")
    )
    force: bool = field(default=False, metadata=_help("Start PPO even when the reward-model gate fails."))
    whiten_rewards: bool = field(default=False, metadata=_help("Whiten per-token rewards (shift kept) before GAE."))
    sample_every: int = field(default=5, metadata=_help("Log prompt/response samples to tensorboard every N iterations."))


@dataclass
class EvaluationArguments:
    eval_file: Optional[str] = field(
        default=None, metadata=_help("JSONL of held-out situations: {\"prompt\": ...} plus the fields the rubric reads "
                                     "(topic, knowledge_point, exercise, attempt, lang); optional id, reference.")
    )
    output_dir: Optional[str] = field(default=None, metadata=_help("Where samples.jsonl and metrics.json go."))
    reference_model_name_or_path: Optional[str] = field(
        default=None, metadata=_help("The SFT model that KL is measured against (none: no KL).")
    )
    reward_model_name_or_path: Optional[str] = field(
        default=None, metadata=_help("A reward model's final/ that scores every response (none: no RM score).")
    )
    base_model_name_or_path: Optional[str] = field(
        default=None, metadata=_help("The model whose perplexity measures fluency (default: the root base of the "
                                     "evaluated adapter, e.g. embedded:smollm2-135m).")
    )
    baseline_samples: Optional[str] = field(
        default=None, metadata=_help("samples.jsonl of another evaluation on the same prompts (e.g. SFT's): win "
                                     "rates against it by reward model and by rubric.")
    )
    prompt_column: str = field(default="prompt", metadata=_help("Key of the prompt in each JSONL object."))
    system_prompt: str = field(default=DEFAULT_SYSTEM_PROMPT, metadata=_help("System message of the chat template."))
    max_source_length: int = field(default=256, metadata=_help("Most prompt tokens (chat template included)."))
    max_eval_samples: int = field(default=0, metadata=_help("Use N prompts spread evenly over the file (0 = all)."))
    batch_size: int = field(default=8, metadata=_help("Prompts generated and scored together."))
    max_new_tokens: int = field(default=96, metadata=_help("Most tokens generated per response."))
    do_sample: bool = field(default=False, metadata=_help("Sample instead of greedy decoding."))
    temperature: float = field(default=1.0, metadata=_help("Sampling temperature (with --do_sample)."))
    top_p: float = field(default=1.0, metadata=_help("Nucleus sampling threshold (with --do_sample)."))
    seed: int = field(default=42, metadata=_help("Seed of sampling."))
    snapshots: bool = field(
        default=False, metadata=_help("--model_name_or_path is a training run's directory: evaluate each of its "
                                      "snapshots/step-N/ (--save_snapshots) and final/ into output_dir/step-N/, and "
                                      "write output_dir/curve.json (quality over training).")
    )


@dataclass
class ExportArguments:
    output_dir: Optional[str] = field(default=None, metadata=_help("Where the standalone model goes."))
    save_dtype: str = field(
        default="float32", metadata=_help("float32 or bfloat16: the dtype of the saved weights (the merge itself "
                                          "and its check run in float32).")
    )
    verify_file: Optional[str] = field(
        default=None, metadata=_help("JSONL of prompts (and reference responses) whose logits the check compares "
                                     "(default: the bundled data/easyds/en/eval_prompts.jsonl).")
    )
    verify_samples: int = field(default=4, metadata=_help("Prompts of --verify_file the check runs."))
    atol: float = field(
        default=1e-3, metadata=_help("Largest allowed |merged - (base + adapter)| over every logit compared.")
    )


@dataclass
class ServingArguments:
    host: str = field(default="127.0.0.1", metadata=_help("Address to listen on (0.0.0.0: every interface)."))
    port: int = field(default=8000, metadata=_help("Port to listen on (0: any free port; the address is printed)."))
    max_batch_size: int = field(
        default=16, metadata=_help("Most concurrent requests generated as one batch (1: no micro-batching).")
    )
    max_wait_ms: float = field(
        default=10.0, metadata=_help("How long the first request of a batch waits for batch-mates.")
    )
    max_queue: int = field(default=64, metadata=_help("Most requests waiting; more get 503 with Retry-After."))
    request_timeout_s: float = field(
        default=60.0, metadata=_help("A request not answered within this many seconds gets 504.")
    )
    max_body_bytes: int = field(default=16384, metadata=_help("Larger request bodies get 413."))
    max_field_chars: int = field(default=2000, metadata=_help("Longer situation fields get 422."))
    max_prompt_tokens: Optional[int] = field(
        default=None, metadata=_help("Longer situations (in the chat template) get 422 (default: the training "
                                     "run's --max_source_length).")
    )
    max_new_tokens: Optional[int] = field(
        default=None, metadata=_help("Default length limit of a teaching prompt (default: the training run's "
                                     "--max_target_length); a request may ask for up to twice it.")
    )
    system_prompt: Optional[str] = field(
        default=None, metadata=_help("System message (default: the one the model was trained with).")
    )
    api_key: Optional[str] = field(
        default=None, metadata=_help("Every request must send 'Authorization: Bearer KEY' (also from the environment "
                                     "variable EASYDS_API_KEY, which keeps it out of the process list); required "
                                     "when --host is not a loopback address.")
    )
    log_level: str = field(default="info", metadata=_help("uvicorn's log level: warning, info, debug."))


@dataclass
class CollectArguments:
    prompt_file: Optional[str] = field(default=None, metadata=_help("JSONL of prompts (the PPO prompt format)."))
    output_dir: Optional[str] = field(default=None, metadata=_help("Where pairs.jsonl, the report and the sheet go."))
    prompt_column: str = field(default="prompt", metadata=_help("Key of the prompt in each JSONL object."))
    max_prompts: int = field(default=0, metadata=_help("Use N prompts spread evenly over the file (0 = all)."))
    num_samples: int = field(default=4, metadata=_help("Responses sampled per prompt (K)."))
    batch_size: int = field(default=4, metadata=_help("Prompts per generation batch (each with K rows)."))
    max_new_tokens: int = field(default=96, metadata=_help("Most tokens per response; a response cut there has no "
                                                           "end of turn and counts as malformed."))
    temperature: float = field(default=1.0, metadata=_help("Sampling temperature."))
    top_p: float = field(default=0.95, metadata=_help("Nucleus sampling threshold."))
    system_prompt: str = field(default=DEFAULT_SYSTEM_PROMPT, metadata=_help("System message of the chat template."))
    max_source_length: int = field(default=256, metadata=_help("Most prompt tokens (chat template included)."))
    judge: str = field(default="both", metadata=_help("rm (reward model), rubric (ANNOTATION.md) or both, combined "
                                                      "as rm_weight*rm + rubric_weight*rubric."))
    reward_model_name_or_path: Optional[str] = field(
        default=None, metadata=_help("A reward model's final/ (for --judge rm or both).")
    )
    rm_weight: float = field(default=1.0, metadata=_help("Weight of the reward-model score (normalised: std 1)."))
    rubric_weight: float = field(default=2.0, metadata=_help("Weight of the rubric total (0-1, steps of 1/7)."))
    min_margin: float = field(default=0.25, metadata=_help("Drop pairs whose combined-score margin is below this."))
    near_duplicate: float = field(
        default=0.8, metadata=_help("Jaccard similarity of 3-gram shingles at which a response is a near duplicate.")
    )
    drop_disagreements: bool = field(
        default=False, metadata=_help("With --judge both, drop pairs the reward model and the rubric order "
                                      "oppositely (they are counted either way).")
    )
    balance_length: bool = field(
        default=False, metadata=_help("Drop the lowest-margin pairs of the larger side until chosen is longer in "
                                      "as many pairs as it is shorter.")
    )
    exclude_malformed: str = field(
        default="empty,broken_text,no_end_of_turn",
        metadata=_help("Kinds of malformed samples never paired: empty, broken_text (undecodable bytes), "
                       "no_end_of_turn (cut at --max_new_tokens). Every kind is counted either way.")
    )
    seed: int = field(default=42, metadata=_help("Seed of sampling."))


@dataclass
class JudgeArguments:
    pairs: List[str] = field(
        default_factory=list, metadata=_help("Labelled preference JSONL files ({\"prompt\", \"chosen\", \"rejected\"}, "
                                             "optional \"rejected_type\" and \"lang\"): chosen is the better one.")
    )
    reward_model_name_or_path: Optional[str] = field(
        default=None, metadata=_help("A reward model's final/ to validate next to the rubric.")
    )
    output_file: Optional[str] = field(default=None, metadata=_help("Write one JSON line per judge here."))
    batch_size: int = field(default=8, metadata=_help("Pairs the reward model scores together."))
    max_source_length: Optional[int] = field(
        default=None, metadata=_help("Prompt tokens for the reward model (default: what it was trained with).")
    )
    max_target_length: Optional[int] = field(
        default=None, metadata=_help("Response tokens for the reward model (default: what it was trained with).")
    )
    system_prompt: Optional[str] = field(
        default=None, metadata=_help("System message for the reward model (default: the one it was trained with).")
    )


@dataclass
class LabelArguments:
    mode: str = field(default="export", metadata=_help("export (pairs -> sheet) or import (sheet -> labelled pairs)."))
    pairs_file: Optional[str] = field(default=None, metadata=_help("pairs.jsonl of launch/collect_pairs.py."))
    sheet_file: Optional[str] = field(default=None, metadata=_help("The CSV sheet to write (export) or read (import)."))
    output_file: Optional[str] = field(default=None, metadata=_help("Labelled pairs JSONL (import)."))


PIPELINE_STAGES = ("sft", "rm", "ppo", "dpo", "eval", "collect")  # the stages --stage_args can address


@dataclass
class PipelineArguments:
    preset: str = field(
        default="smollm2", metadata=_help("tiny (embedded:tiny-qwen2, an integration run of about 3 minutes on 2 CPU "
                                          "cores), smollm2 (embedded:smollm2-135m, the CPU demo, 15 minutes at "
                                          "350 GFLOP/s) or qwen2.5 (the GPU recipe; needs --model_name_or_path); "
                                          "smollm2-study and qwen2.5-study: the same at matched compute with "
                                          "snapshots for over-optimisation curves (use several --seeds).")
    )
    output_dir: Optional[str] = field(default=None, metadata=_help("Where every stage's run and the report go."))
    model_name_or_path: Optional[str] = field(
        default=None, metadata=_help("Base model (default: the preset's; a local Qwen2.5 directory for qwen2.5).")
    )
    lang: str = field(default="en", metadata=_help("Language of the bundled EasyDS data: en or zh."))
    seeds: str = field(default="42", metadata=_help("Comma-separated seeds; each runs the whole pipeline, and the "
                                                    "report shows the spread over them."))
    launcher: Optional[str] = field(
        default=None, metadata=_help("python (one process) or deepspeed (all GPUs); default: the preset's.")
    )
    num_gpus: int = field(default=0, metadata=_help("GPUs for the deepspeed launcher (0 = all it finds)."))
    deepspeed_config: Optional[str] = field(
        default=None, metadata=_help("DeepSpeed config for every training stage (default: the preset's).")
    )
    stage_args: list[str] = field(
        default_factory=list, metadata=_help("Extra flags for one stage: STAGE:--flag=value ... (STAGE: sft, rm, "
                                             "ppo (every RLHF run), dpo (every DPO run), eval, collect), e.g. "
                                             "ppo:--max_steps=10 eval:--max_new_tokens=32.")
    )
    rlhf_estimators: str = field(
        default="gae", metadata=_help("Comma-separated advantage estimators of the RLHF route, each its own PPO stage "
                                      "and evaluation: gae (PPO with a critic, stage ppo), rloo, grpo, reinforce_pp "
                                      "(critic-free, stages ppo-rloo, ...), e.g. gae,rloo,grpo.")
    )
    onpolicy_rounds: int = field(
        default=0, metadata=_help("Rounds of on-policy DPO after the two routes: round K collects pairs from the "
                                  "policy of round K-1 (SFT for K = 1), judged by the reward model and the rubric "
                                  "(launch/collect_pairs.py), then trains DPO from that policy on them; each round "
                                  "is evaluated and reported next to offline DPO.")
    )

    @property
    def estimator_list(self) -> list:
        return [e.strip() for e in self.rlhf_estimators.split(",") if e.strip()]

    @property
    def seed_list(self) -> list:
        return [int(s) for s in self.seeds.split(",") if s.strip()]

    @property
    def stage_overrides(self) -> dict:
        """``["ppo:--max_steps=10 --top_p=0.9"]`` -> ``{"ppo": ["--max_steps=10", "--top_p=0.9"]}``."""
        out = {}
        for item in self.stage_args:
            stage, _, flags = item.partition(":")
            if stage not in PIPELINE_STAGES or not flags.startswith("--"):
                raise ConfigError(f"--stage_args {item!r}: expected STAGE:--flag=value, STAGE one of "
                                  + ", ".join(PIPELINE_STAGES))
            out.setdefault(stage, []).extend(shlex.split(flags))
        return out


class ConfigError(ValueError):
    """An impossible or inconsistent combination of arguments."""


def validate(*groups) -> None:
    """Check the argument groups for impossible combinations; raise ConfigError listing every problem."""
    problems = []
    for g in groups:
        if isinstance(g, ModelArguments):
            if not g.model_name_or_path and not any(isinstance(x, (PPOArguments, JudgeArguments)) for x in groups):
                problems.append("--model_name_or_path is required")
            if g.dtype not in ("auto", "float32", "bfloat16", "float16"):
                problems.append(f"--dtype must be auto, float32, bfloat16 or float16, not {g.dtype!r}")
        elif isinstance(g, DataArguments):
            for name in ("train_file", "eval_file"):
                path = getattr(g, name)
                if path and not os.path.isfile(path):
                    problems.append(f"--{name} {path}: no such file")
            if g.max_source_length < 8:
                problems.append(f"--max_source_length must be at least 8, got {g.max_source_length}")
            if g.max_target_length < 1:
                problems.append(f"--max_target_length must be at least 1, got {g.max_target_length}")
            if g.max_eval_samples < 0 or g.num_samples < 0:
                problems.append("--max_eval_samples and --num_samples must be >= 0")
        elif isinstance(g, PeftArguments):
            if g.lora_rank < 0:
                problems.append(f"--lora_rank must be >= 0 (0 = full fine-tuning), got {g.lora_rank}")
            if g.lora_rank > 0:
                if g.lora_alpha <= 0:
                    problems.append(f"--lora_alpha must be > 0, got {g.lora_alpha}")
                if not 0.0 <= g.lora_dropout < 1.0:
                    problems.append(f"--lora_dropout must be in [0, 1), got {g.lora_dropout}")
                if not [m for m in g.lora_target_modules.split(",") if m.strip()]:
                    problems.append("--lora_target_modules is empty")
        elif isinstance(g, TrainingArguments):
            if not g.output_dir:
                problems.append("--output_dir is required")
            if g.max_steps <= 0 and g.num_train_epochs <= 0:
                problems.append("set --max_steps > 0 or --num_train_epochs > 0")
            for name in ("per_device_train_batch_size", "per_device_eval_batch_size", "gradient_accumulation_steps"):
                if getattr(g, name) < 1:
                    problems.append(f"--{name} must be >= 1, got {getattr(g, name)}")
            if g.learning_rate <= 0:
                problems.append(f"--learning_rate must be > 0, got {g.learning_rate}")
            if g.lr_scheduler_type not in ("cosine", "linear", "constant"):
                problems.append(f"--lr_scheduler_type must be cosine, linear or constant, not {g.lr_scheduler_type!r}")
            if g.zero_stage is not None and g.zero_stage not in (0, 1, 2, 3):
                problems.append(f"--zero_stage must be 0, 1, 2 or 3, got {g.zero_stage}")
            if g.deepspeed_config and not os.path.isfile(g.deepspeed_config):
                problems.append(f"--deepspeed_config {g.deepspeed_config}: no such file")
            if g.logging_steps < 1 or g.save_steps < 0 or g.eval_steps < 0 or g.save_total_limit < 1:
                problems.append("--logging_steps and --save_total_limit must be >= 1; --save_steps, --eval_steps >= 0")
            rc = g.resume_from_checkpoint
            if rc and rc != "auto" and not os.path.isdir(rc):
                problems.append(f"--resume_from_checkpoint {rc}: no such directory (or use 'auto')")
        elif isinstance(g, PPOArguments):
            if not g.actor_model_name_or_path:
                problems.append("--actor_model_name_or_path is required")
            if bool(g.reward_model_name_or_path) == bool(g.reward_fn):
                problems.append("give exactly one of --reward_model_name_or_path and --reward_fn")
            if g.reward_fn and (":" not in g.reward_fn or not os.path.isfile(g.reward_fn.rsplit(":", 1)[0])):
                problems.append(f"--reward_fn {g.reward_fn}: expected an existing FILE.py:FUNCTION")
            if g.reward_fn and not g.critic_model_name_or_path and g.advantage_estimator == "gae":
                problems.append("--critic_model_name_or_path is required with --reward_fn and --advantage_estimator "
                                "gae (no reward model to start the critic from)")
            if not g.prompt_file or not os.path.isfile(g.prompt_file):
                problems.append(f"--prompt_file {g.prompt_file}: no such file")
            choices = {"ref_mode": ("separate", "adapter_disabled"), "generation_mode": ("gathered", "naive"),
                       "kl_ctl": ("adaptive", "fixed"), "kl_penalty": ("reward", "loss"),
                       "critic_head": ("zero", "reward"),
                       "advantage_estimator": ADVANTAGE_ESTIMATORS}
            for name, allowed in choices.items():
                if getattr(g, name) not in allowed + (None,) * (name == "critic_head"):
                    problems.append(f"--{name} must be one of {', '.join(allowed)}, not {getattr(g, name)!r}")
            if g.rollout_batch_size < 1 or g.max_new_tokens < 1 or g.ppo_epochs < 1:
                problems.append("--rollout_batch_size, --max_new_tokens and --ppo_epochs must be >= 1")
            if g.temperature <= 0:
                problems.append("--temperature must be > 0")
            if g.init_kl_coef < 0 or g.kl_target <= 0 or g.kl_horizon < 1:
                problems.append(f"--init_kl_coef must be >= 0, --kl_target > 0 and --kl_horizon >= 1; got "
                                f"{g.init_kl_coef}, {g.kl_target}, {g.kl_horizon}")
            if g.clip_eps <= 0 or (g.value_clip_eps is not None and g.value_clip_eps <= 0) or g.reward_clip < 0:
                problems.append("--clip_eps and --value_clip_eps must be > 0, --reward_clip >= 0")
            if not 0 <= g.gamma <= 1 or not 0 <= g.lam <= 1:
                problems.append("--gamma and --lam must be in [0, 1]")
            if g.samples_per_prompt < 1 or (g.advantage_estimator in ("rloo", "grpo") and g.samples_per_prompt < 2):
                problems.append(f"--samples_per_prompt must be >= 1 (>= 2 for rloo and grpo, which compare a "
                                f"prompt's samples), got {g.samples_per_prompt} with --advantage_estimator "
                                f"{g.advantage_estimator}")
            if g.critic_warmup_steps < 0 or (g.critic_warmup_steps and g.advantage_estimator != "gae"):
                problems.append("--critic_warmup_steps must be >= 0 and needs --advantage_estimator gae (a critic)")
            if g.critic_learning_rate is not None and g.critic_learning_rate <= 0:
                problems.append("--critic_learning_rate must be > 0")
            given = [f"--{name}" for name in ("critic_model_name_or_path", "critic_learning_rate", "critic_head",
                                              "value_clip_eps") if getattr(g, name) is not None]
            if given and g.advantage_estimator != "gae":
                problems.append(f"{', '.join(given)}: --advantage_estimator {g.advantage_estimator} has no critic")
            if g.overlong_buffer < 0 or g.overlong_buffer > g.max_new_tokens or g.overlong_penalty < 0:
                problems.append("--overlong_buffer must be in [0, --max_new_tokens] and --overlong_penalty >= 0")
            if g.reward_norm_samples < 0 or (g.reward_norm_samples and g.reward_fn):
                problems.append("--reward_norm_samples must be >= 0 and needs a reward model (not --reward_fn)")
            if g.top_p != 1.0:
                problems.append("--top_p must be 1 in PPO: the log-probs of the ratio and the KL are those of the full "
                                "softmax, so nucleus sampling would make the rollouts off-policy")
            if g.whiten_rewards and g.advantage_estimator != "gae":
                problems.append("--whiten_rewards applies to --advantage_estimator gae only")
            if g.overlong_buffer and g.missing_eos_penalty is not None:
                problems.append("give one of --overlong_buffer (soft, DAPO) and --missing_eos_penalty (flat): both "
                                "penalise the responses cut at --max_new_tokens")
        elif isinstance(g, EvaluationArguments):
            if not g.eval_file or not os.path.isfile(g.eval_file):
                problems.append(f"--eval_file {g.eval_file}: no such file")
            if not g.output_dir:
                problems.append("--output_dir is required")
            if g.baseline_samples and not os.path.isfile(g.baseline_samples):
                problems.append(f"--baseline_samples {g.baseline_samples}: no such file")
            if g.batch_size < 1 or g.max_new_tokens < 1 or g.max_eval_samples < 0 or g.max_source_length < 8:
                problems.append("--batch_size and --max_new_tokens must be >= 1, --max_eval_samples >= 0, "
                                "--max_source_length >= 8")
            if not 0 < g.top_p <= 1 or g.temperature <= 0:
                problems.append("--top_p must be in (0, 1] and --temperature > 0")
        elif isinstance(g, ExportArguments):
            if not g.output_dir:
                problems.append("--output_dir is required")
            if g.save_dtype not in ("float32", "bfloat16"):
                problems.append(f"--save_dtype must be float32 or bfloat16, not {g.save_dtype!r}")
            if g.verify_file and not os.path.isfile(g.verify_file):
                problems.append(f"--verify_file {g.verify_file}: no such file")
            if g.verify_samples < 1 or g.atol <= 0:
                problems.append("--verify_samples must be >= 1 and --atol > 0")
        elif isinstance(g, CollectArguments):
            if not g.prompt_file or not os.path.isfile(g.prompt_file):
                problems.append(f"--prompt_file {g.prompt_file}: no such file")
            if not g.output_dir:
                problems.append("--output_dir is required")
            if g.judge not in ("rm", "rubric", "both"):
                problems.append(f"--judge must be rm, rubric or both, not {g.judge!r}")
            if g.judge != "rubric" and not g.reward_model_name_or_path:
                problems.append(f"--judge {g.judge} needs --reward_model_name_or_path")
            if g.num_samples < 2 or g.batch_size < 1 or g.max_new_tokens < 1 or g.max_prompts < 0:
                problems.append("--num_samples must be >= 2, --batch_size and --max_new_tokens >= 1, --max_prompts >= 0")
            if not 0 < g.top_p <= 1 or g.temperature <= 0:
                problems.append("--top_p must be in (0, 1] and --temperature > 0")
            unknown = {k.strip() for k in g.exclude_malformed.split(",") if k.strip()} - {
                "empty", "broken_text", "no_end_of_turn"}
            if unknown:
                problems.append(f"--exclude_malformed: unknown kind(s) {', '.join(sorted(unknown))}; expected "
                                "empty, broken_text, no_end_of_turn")
            if (g.judge != "rubric" and g.rm_weight <= 0) or (g.judge != "rm" and g.rubric_weight <= 0):
                problems.append("--rm_weight and --rubric_weight of the judges in use must be > 0")
            if g.drop_disagreements and g.judge != "both":
                problems.append("--drop_disagreements needs --judge both (two judges to disagree)")
            if not 0 < g.near_duplicate <= 1 or g.min_margin < 0:
                problems.append("--near_duplicate must be in (0, 1] and --min_margin >= 0")
        elif isinstance(g, JudgeArguments):
            if not g.pairs:
                problems.append("--pairs: give at least one labelled preference file")
            problems += [f"--pairs {p}: no such file" for p in g.pairs if not os.path.isfile(p)]
            if g.reward_model_name_or_path and not g.reward_model_name_or_path.startswith("embedded:") and \
                    not os.path.isdir(g.reward_model_name_or_path):
                problems.append(f"--reward_model_name_or_path {g.reward_model_name_or_path}: no such directory")
            if g.batch_size < 1:
                problems.append("--batch_size must be >= 1")
        elif isinstance(g, LabelArguments):
            if g.mode not in ("export", "import"):
                problems.append(f"--mode must be export or import, not {g.mode!r}")
            if not g.pairs_file or not os.path.isfile(g.pairs_file):
                problems.append(f"--pairs_file {g.pairs_file}: no such file")
            if not g.sheet_file or (g.mode == "import" and not os.path.isfile(g.sheet_file)):
                problems.append(f"--sheet_file {g.sheet_file}: " + ("required" if not g.sheet_file else "no such file"))
            if g.mode == "import" and not g.output_file:
                problems.append("--output_file is required with --mode import")
            if g.mode == "export" and g.sheet_file and os.path.exists(g.sheet_file):
                problems.append(f"--sheet_file {g.sheet_file} exists (it may hold a labeller's work); remove it or "
                                "choose another path")
        elif isinstance(g, ServingArguments):
            if not 0 <= g.port <= 65535:
                problems.append(f"--port must be in 0..65535, got {g.port}")
            if min(g.max_batch_size, g.max_queue, g.max_body_bytes, g.max_field_chars) < 1:
                problems.append("--max_batch_size, --max_queue, --max_body_bytes and --max_field_chars must be >= 1")
            if g.max_wait_ms < 0 or g.request_timeout_s <= 0:
                problems.append("--max_wait_ms must be >= 0 and --request_timeout_s > 0")
            for name in ("max_prompt_tokens", "max_new_tokens"):
                if getattr(g, name) is not None and getattr(g, name) < 1:
                    problems.append(f"--{name} must be >= 1")
        elif isinstance(g, PipelineArguments):
            presets = ("tiny", "smollm2", "qwen2.5", "tiny-study", "smollm2-study", "qwen2.5-study")
            if g.preset not in presets:
                problems.append(f"--preset must be one of {', '.join(presets)}, not {g.preset!r}")
            if g.preset.startswith("qwen2.5") and not g.model_name_or_path:
                problems.append("--preset qwen2.5 needs --model_name_or_path (a local Qwen2.5 checkpoint directory)")
            if not g.output_dir:
                problems.append("--output_dir is required")
            if g.lang not in ("en", "zh"):
                problems.append(f"--lang must be en or zh, not {g.lang!r}")
            if g.launcher not in (None, "python", "deepspeed"):
                problems.append(f"--launcher must be python or deepspeed, not {g.launcher!r}")
            try:
                if not g.seed_list:
                    problems.append("--seeds is empty")
            except ValueError:
                problems.append(f"--seeds must be comma-separated integers, got {g.seeds!r}")
            if g.deepspeed_config and not os.path.isfile(g.deepspeed_config):
                problems.append(f"--deepspeed_config {g.deepspeed_config}: no such file")
            bad = [e for e in g.estimator_list if e not in ADVANTAGE_ESTIMATORS]
            if bad or not g.estimator_list or len(set(g.estimator_list)) != len(g.estimator_list):
                problems.append(f"--rlhf_estimators {g.rlhf_estimators!r}: a comma-separated list of distinct "
                                f"estimators out of {', '.join(ADVANTAGE_ESTIMATORS)}")
            try:
                ppo_flags = {f.split("=", 1)[0] for f in g.stage_overrides.get("ppo", []) if f.startswith("--")}
            except ConfigError:
                ppo_flags = set()  # reported below
            if ppo_flags & {"--advantage_estimator", "--samples_per_prompt"}:
                problems.append("--stage_args ppo:--advantage_estimator / --samples_per_prompt: choose the RLHF "
                                "estimators with --rlhf_estimators (each gets its own stage and report column)")
            critic_only = ppo_flags & set(CRITIC_FLAGS)
            if critic_only and set(g.estimator_list) - {"gae"}:
                problems.append(f"--stage_args ppo:{', '.join(sorted(critic_only))} reaches every RLHF stage, and the "
                                "critic-free ones have no critic: give critic flags with --rlhf_estimators gae only")
            if g.onpolicy_rounds < 0:
                problems.append(f"--onpolicy_rounds must be >= 0, got {g.onpolicy_rounds}")
            try:
                g.stage_overrides
            except ConfigError as e:
                problems.append(str(e))
    peft = next((g for g in groups if isinstance(g, PeftArguments)), None)
    train = next((g for g in groups if isinstance(g, TrainingArguments)), None)
    if peft and train and train.merge_lora and peft.lora_rank == 0:
        problems.append("--merge_lora needs LoRA (--lora_rank > 0); full fine-tuning already exports a full model")
    ppo = next((g for g in groups if isinstance(g, PPOArguments)), None)
    if ppo and peft and ppo.ref_mode == "adapter_disabled" and peft.lora_rank == 0:
        problems.append("--ref_mode adapter_disabled needs a LoRA actor (--lora_rank > 0)")
    rows = ppo.rollout_batch_size * ppo.samples_per_prompt if ppo else 0
    if ppo and train and rows % (train.per_device_train_batch_size * train.gradient_accumulation_steps):
        problems.append(f"--rollout_batch_size x --samples_per_prompt ({rows} rollout rows) must be a multiple of "
                        "--per_device_train_batch_size x --gradient_accumulation_steps (one optimizer step each)")
    if problems:
        raise ConfigError("invalid arguments:\n  - " + "\n  - ".join(problems))


def parse_args(*group_types, args=None):
    """Parse the command line into instances of ``group_types`` (dataclasses) and validate them."""
    from transformers import HfArgumentParser  # lazy: keeps this module pure

    parser = HfArgumentParser(group_types)
    groups = parser.parse_args_into_dataclasses(args=args)
    validate(*groups)
    return groups


def to_dict(*groups) -> dict:
    """All groups' fields as one flat dict (for run_summary.json and tensorboard hparams)."""
    out = {}
    for g in groups:
        out.update(dataclasses.asdict(g))
    return out

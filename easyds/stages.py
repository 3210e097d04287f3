"""One stage of the main job: what it runs, how it runs (its own process group, never outliving the pipeline), and
when a finished stage may be reused (its recorded key: flags, ranks, data files, upstream stages)."""
import contextlib
import ctypes
import hashlib
import json
import os
import signal
import subprocess
import sys
from dataclasses import dataclass, field

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


@dataclass
class Stage:
    name: str  # sft, rm, ppo, dpo, eval/sft, ...
    script: str  # launch/<script>.py
    output_dir: str
    args: list
    done_file: str  # present when the stage finished (final/ written or metrics.json written)
    distributed: bool = True  # runs under the deepspeed launcher when the preset uses it
    route: str = ""
    status: str = "pending"
    seconds: float = 0.0

    @property
    def done(self) -> bool:
        return os.path.exists(os.path.join(self.output_dir, self.done_file))


@dataclass
class Plan:
    output_dir: str
    stages: list = field(default_factory=list)


# A stage runs in a process group of its own (the deepspeed launcher and its ranks, or one process), watched by a
# guard: a child of the pipeline that the kernel sends SIGTERM when the pipeline dies, however it dies (kill -9
# included), and that then stops the stage's whole group. The launcher itself would not pass a SIGTERM on to the
# ranks it started.
GUARD = """
import os, signal, sys, time
group, pipeline = int(sys.argv[1]), int(sys.argv[2])
def stop(*_):
    try:
        os.killpg(group, signal.SIGTERM)
    except ProcessLookupError:
        pass
    sys.exit(0)
signal.signal(signal.SIGTERM, stop)
if os.getppid() != pipeline:  # the pipeline died before the death signal was armed
    stop()
while True:
    time.sleep(3600)
"""


def die_with_parent():
    """Run in the guard before it starts: the kernel sends it SIGTERM when its parent (the pipeline) dies."""
    PR_SET_PDEATHSIG = 1
    ctypes.CDLL("libc.so.6", use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGTERM)


def run_stage(cmd: list, env: dict) -> int:
    """Run one stage's command to its end (its exit status); it never outlives the pipeline (``GUARD``)."""
    proc = subprocess.Popen(cmd, cwd=ROOT, env=env, start_new_session=True)
    guard = subprocess.Popen([sys.executable, "-c", GUARD, str(proc.pid), str(os.getpid())],
                             preexec_fn=die_with_parent)
    try:
        return proc.wait()
    except BaseException:  # Ctrl-C (the stage's own group does not get the terminal's SIGINT) or an error here
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGTERM)
        proc.wait()
        raise
    finally:
        guard.kill()
        guard.wait()


STAGE_RECORD = "stage.json"
TRAINING_SCRIPTS = ("sft", "rm", "ppo", "dpo")


def stage_key(stage: Stage, launcher: str, num_gpus: int, upstream: dict) -> dict:
    """What a stage's result depends on: its flags, how many ranks ran it, the contents of the data files it reads
    and the keys of the stages whose outputs it reads (``upstream``: output_dir -> key). A finished stage is
    reused only while its recorded key is this one."""
    files, inputs = {}, {}
    for arg in stage.args:
        own = isinstance(arg, str) and arg.startswith(stage.output_dir + os.sep)  # what the stage itself writes
        if isinstance(arg, str) and os.path.isfile(arg) and not own:
            with open(arg, "rb") as f:
                files[arg] = hashlib.sha1(f.read()).hexdigest()
        for out, key in upstream.items():
            if isinstance(arg, str) and (arg == out or arg.startswith(out + os.sep)):
                inputs[out] = hashlib.sha1(json.dumps(key, sort_keys=True).encode()).hexdigest()
    ranks = num_gpus if launcher == "deepspeed" and stage.distributed else 1
    return {"args": [str(a) for a in stage.args], "launcher": launcher, "ranks": ranks, "files": files,
            "upstream": inputs}


def read_stage_record(stage: Stage):
    try:
        with open(os.path.join(stage.output_dir, STAGE_RECORD), encoding="utf-8") as f:
            return json.load(f)
    except (OSError, ValueError):
        return None


def effective_flags(args: list) -> dict:
    """What a command line means, as argparse reads it: each flag's last value (``True`` for a bare flag), so that
    reordering or repeating flags (a recipe reformatted) is no change."""
    out, i = {}, 0
    while i < len(args):
        arg = str(args[i])
        if arg.startswith("--"):
            name, eq, value = arg.partition("=")
            if eq:
                out[name] = [value]
            else:
                values = []
                while i + 1 < len(args) and not str(args[i + 1]).startswith("--"):
                    i += 1
                    values.append(str(args[i]))
                out[name] = values or True
        i += 1
    return out


def same_key(old, new: dict) -> bool:
    """Whether a stage recorded as ``old`` ran with what ``new`` asks for: the same effective flags, launcher, ranks,
    data files and upstream stages."""
    return old is not None and effective_flags(old.get("args", [])) == effective_flags(new["args"]) and all(
        old.get(k) == new.get(k) for k in ("launcher", "ranks", "files", "upstream"))


def record_changes(old: dict, new: dict) -> str:
    if old is None:
        return "it was run before stages recorded their settings"
    a, b = effective_flags(old.get("args", [])), effective_flags(new["args"])
    changed = [k for k in ("launcher", "ranks", "files", "upstream") if old.get(k) != new.get(k)]
    if a != b:
        diff = sorted(f"{k}={' '.join(v) if isinstance(v, list) else v}" for k, v in b.items() if a.get(k) != v)
        diff += sorted(f"-{k}" for k in a if k not in b)
        changed.insert(0, f"its flags ({' '.join(diff[:6])})")
    names = {"files": "its data files", "upstream": "a stage it reads from", "launcher": "the launcher",
             "ranks": "the number of ranks"}
    return "changed: " + ", ".join(names.get(c, c) for c in changed)


def command(stage: Stage, launcher: str, num_gpus: int) -> list:
    script = os.path.join(ROOT, "launch", f"{stage.script}.py")
    if launcher == "deepspeed" and stage.distributed:
        launch = [os.path.join(os.path.dirname(sys.executable), "deepspeed")]
        launch += ["--num_gpus", str(num_gpus)] if num_gpus else []
        return launch + [script] + stage.args
    return [sys.executable, script] + stage.args

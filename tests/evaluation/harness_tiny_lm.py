"""A real Hugging Face causal language model small enough to build in a test: GPT-2 architecture, 2 layers,
random weights (seeded), a byte-level BPE tokenizer trained on the dataset's own articles. It goes through
``lm_eval --model hf`` exactly as a downloaded checkpoint would, with nothing fetched from anywhere."""

from __future__ import annotations

from pathlib import Path


def build_tiny_lm(out: Path, texts: list[str], vocab: int = 4096, positions: int = 16384) -> Path:
    import torch
    from tokenizers import Tokenizer, decoders, models, pre_tokenizers, trainers
    from transformers import GPT2Config, GPT2LMHeadModel, PreTrainedTokenizerFast

    eos = "<|endoftext|>"
    tok = Tokenizer(models.BPE())
    tok.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    tok.decoder = decoders.ByteLevel()
    trainer = trainers.BpeTrainer(
        vocab_size=vocab, special_tokens=[eos], initial_alphabet=pre_tokenizers.ByteLevel.alphabet()
    )
    tok.train_from_iterator(texts, trainer)
    fast = PreTrainedTokenizerFast(tokenizer_object=tok, eos_token=eos, bos_token=eos, unk_token=eos)
    torch.manual_seed(0)
    config = GPT2Config(
        vocab_size=len(fast),
        n_positions=positions,
        n_embd=32,
        n_layer=2,
        n_head=2,
        bos_token_id=fast.eos_token_id,
        eos_token_id=fast.eos_token_id,
    )
    GPT2LMHeadModel(config).save_pretrained(out)
    fast.save_pretrained(out)
    return out

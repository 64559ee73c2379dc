"""Chapter 4: LoRA from scratch."""

import copy

import pytest
import torch


@pytest.fixture(scope="module")
def run(ran):
    return ran("ch04/lora.py")


def test_share_of_trainable_parameters(run):
    namespace = run.namespace
    d, rank = namespace["pretrained"].config.d_model, 4
    per_block = rank * ((d + 3 * d) + (d + d) + (d + 4 * d) + (4 * d + d))  # rank * (in + out)
    assert namespace["trainable"] == namespace["pretrained"].config.n_layers * per_block
    assert namespace["total"] == sum(p.numel() for p in namespace["pretrained"].parameters())
    assert f"({namespace['trainable'] / namespace['total']:.1%})" in run.stdout


def test_a_fresh_adapter_changes_nothing(run, snippet):
    lora = snippet("ch04/lora.py")
    pretrained, ids = run.namespace["pretrained"], run.namespace["ids"]
    model = copy.deepcopy(pretrained)
    lora.add_lora(model)
    with torch.no_grad():
        torch.testing.assert_close(model(ids), pretrained(ids))


def test_merged_weights_give_the_adapters_outputs(run):
    namespace = run.namespace
    LoRALinear = namespace["LoRALinear"]
    assert not any(isinstance(m, LoRALinear) for m in namespace["merged"].modules())
    with torch.no_grad():
        torch.testing.assert_close(namespace["merged"](namespace["ids"]),
                                   namespace["model"](namespace["ids"]), atol=1e-4, rtol=1e-4)


def test_only_the_adapters_were_trained(run):
    namespace = run.namespace
    LoRALinear = namespace["LoRALinear"]
    low_rank = {id(p) for m in namespace["model"].modules() if isinstance(m, LoRALinear)
                for p in (m.A, m.B)}
    assert {id(p) for p in namespace["adapters"]} == low_rank
    assert namespace["changed"] == 0  # every pretrained tensor is exactly as loaded


def test_adapter_alone_reaches_the_stated_accuracy(run, snippet):
    accuracy = snippet("ch04/instruction_tuning.py").accuracy
    corpus = run.namespace["corpus"]
    model, tokenizer = run.namespace["model"], run.namespace["tokenizer"]
    assert accuracy(model, tokenizer, corpus.QA_PEOPLE) >= 0.95
    held_out = accuracy(model, tokenizer, corpus.HELD_OUT_PEOPLE)
    assert held_out >= 0.45
    assert f"{held_out:.0%} about people only read about" in run.stdout

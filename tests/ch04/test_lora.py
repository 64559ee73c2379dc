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
    assert 0.04 < namespace["trainable"] / namespace["total"] < 0.06  # "one in twenty"


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


def test_adapter_alone_learns_the_format_and_uses_the_knowledge(run, snippet):
    wilson = snippet("ch04/instruction_tuning.py").wilson
    seen, unseen = run.namespace["seen"], run.namespace["unseen"]
    assert sum(seen) / len(seen) >= 0.95
    # about the people only read about: far above what tuning from scratch reaches (4 of 32)
    assert wilson(sum(unseen), len(unseen))[0] > 0.3
    assert run.namespace["merged_unseen"] == unseen  # merging changes no answer


def test_lora_and_full_fine_tuning_are_within_each_others_noise(run, ran, snippet):
    """The page claims no difference between the adapters and full fine-tuning on the 32
    questions: their 95% intervals overlap."""
    wilson = snippet("ch04/instruction_tuning.py").wilson
    full = ran("ch04/instruction_tuning.py").namespace["results"]["pretrained + tuned"][1]
    lora = run.namespace["unseen"]
    (low_full, high_full), (low_lora, high_lora) = (wilson(sum(r), len(r)) for r in (full, lora))
    assert low_lora < high_full and low_full < high_lora

"""What blind QA round 120 (Buildbot, Sonarr/Radarr, CRI-O, Grafana Tempo) found in reading
each log's lines, and what they read as now."""

from __future__ import annotations

from logbert.parsing.masks import mask_text
from logbert.parsing.miner import TemplateMiner


def test_a_build_steps_name_and_its_result_are_the_event():
    """QA Buildbot: `step 'git' complete: success (['git'])` and twelve other steps, with
    their `warnings` and `retry` results, were one `step '<*>' complete: <*> ([<*>])` event:
    steps run out of order and a compile's warnings were a normal build's."""
    steps = ["git", "configure", "compile", "test", "upload-docs"]
    normal = [f"step '{s}' complete: success (['{s}'])" for s in steps]
    odd = ["step 'compile' complete: warnings (['compile', '32 warnings'])",
           "step 'compile' complete: retry (['compile', 'interrupted'])"]  # fmt: skip
    miner = TemplateMiner()
    ids = miner.add([mask_text(line) for line in normal + odd], [300] * len(steps) + [20, 2])
    assert len(set(ids)) == len(ids)
    assert miner.template(ids[-2]) == "step 'compile' complete: warnings ([<*>])"


def test_tempos_tenant_is_a_name():
    """QA Tempo: `userid=team-checkout` stayed a word (a new tenant's blocks new events,
    scored above the real anomalies), where `tenant=` and `orgID=` were masked."""
    line = 'level=info msg="completing block" userid={} blockID=3c1d'
    assert mask_text(line.format("team-checkout")) == mask_text(line.format("single-tenant"))

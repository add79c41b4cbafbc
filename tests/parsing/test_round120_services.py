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


def test_a_shows_title_in_brackets_after_for_is_a_value():
    """QA Sonarr: `Starting episode info refresh for: [403245][The Bear]` and `Searching
    indexers for [The Bear : S01E02]` kept the title, a template per show (a newly added
    show's routine refresh a new event); an object's path and state in brackets stays."""
    refresh = "Starting episode info refresh for: [{}][{}]"
    assert mask_text(refresh.format(371980, "Severance")) == mask_text(
        refresh.format(403245, "The Bear")
    )
    search = "Searching indexers for [{}]. 3 active indexers"
    assert mask_text(search.format("The Bear : S01E02")) == mask_text(
        search.format("Furiosa A Mad Max Saga (2024)")
    )
    flux = "timeout waiting for: [Deployment/flux-system/frontend status: 'InProgress']"
    assert "InProgress" in mask_text(flux)

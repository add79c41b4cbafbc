"""QA round 42 (CEF, Serilog, lighttpd, Exchange message tracking, NetworkManager): what each
log's first run got wrong, as a new user met it."""

from __future__ import annotations

from logbert.parsing.auto import looks_like_continuation
from logbert.parsing.miner import TemplateMiner


def test_an_http_client_s_status_after_its_time_keeps_its_class(masked_alike):
    """QA Serilog: .NET's HttpClient `... headers after 23.9132ms - 503` was a 200's event."""
    assert masked_alike([
        "[INF] Received HTTP response headers after 23.9132ms - 503",
        "[INF] End processing HTTP request after 124.1ms - 200",
    ]) == [
        "[INF] Received HTTP response headers after <*> - 5xx",
        "[INF] End processing HTTP request after <*> - 2xx",
    ]  # fmt: skip


def test_asp_net_core_s_endpoints_and_actions_are_events(masked_alike):
    """QA Serilog: `Executing endpoint <*>'` and `Executed action <*> (Shop.Api)` made every
    controller action one event, a failing logout a login's."""
    actions = ["Orders.Get", "Orders.Create", "Auth.Login", "Auth.Logout", "Products.List"]
    lines = [
        f"Executing endpoint 'Shop.Api.Controllers.{a.replace('.', 'Controller.')} (Shop.Api)'"
        for a in actions
    ]
    masked = masked_alike(lines)
    assert masked == lines  # the endpoint's words kept, not one quoted value
    miner = TemplateMiner()
    assert len(set(miner.add(masked * 3))) == len(actions)


def test_ef_core_s_sql_under_its_command_is_a_continuation():
    """QA Serilog: `FROM [Products] AS [p]` under `Executed DbCommand` was a line "that does
    not look like a continuation line", 25% of the log."""
    assert looks_like_continuation("FROM [Products] AS [p]")
    assert looks_like_continuation("WHERE [o].[Id] = @__id_0")
    assert not looks_like_continuation("Fromage delivered")

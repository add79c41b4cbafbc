"""QA round 49 (HAProxy, CloudTrail, Cassandra, RabbitMQ, Jenkins): what each log's first run
got wrong, as a new user met it."""

from __future__ import annotations


def test_an_erlang_node_closing_a_sentence_or_a_tuple_is_masked(masked_alike):
    """QA RabbitMQ: `rabbit@n1.` and `{..., rabbit@n2}` kept the node, a template per node: a
    memory alarm known on n1 was a new event on n3."""
    n1, n3, tuple_n2, tuple_n3, before_space = masked_alike([
        "memory resource limit alarm set on node rabbit@n1.",
        "memory resource limit alarm set on node rabbit@n3.",
        "mnesia_event got {inconsistent_database, running_partitioned_network, rabbit@n2}",
        "mnesia_event got {inconsistent_database, running_partitioned_network, rabbit@n3}",
        "Keeping rabbit@n3 listeners: the node is already back",
    ])  # fmt: skip
    assert n1 == n3 == "memory resource limit alarm set on node <*>."
    assert tuple_n2 == tuple_n3 and tuple_n2.endswith(", <*>}")
    assert before_space == "Keeping <*> listeners: the node is already back"


def test_a_quoted_percent_encoded_name_is_a_value(masked_alike):
    """QA RabbitMQ: a quorum queue's `{'%2Fshop_orders.created',rabbit@n3}` (vhost and queue)
    kept the queue, and one leader election was a template per queue."""
    shop, notify = masked_alike([
        "granting vote for {'%2Fshop_orders.created',rabbit@n3} with last indexterm {17882,30}",
        "granting vote for {'%2Fnotify_notify.email',rabbit@n2} with last indexterm {8257,18}",
    ])  # fmt: skip
    assert shop == notify
    assert shop.startswith("granting vote for {'<*>',<*>}")

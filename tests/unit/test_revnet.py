"""Figure 26: a stack of reversible layers rebuilt from its top outputs; the ResNet / RevNet drawing."""

from explorer.families.reformer import reversible
from explorer.views import revnet_charts


def test_every_layer_of_a_reversible_stack_is_rebuilt_from_the_top_outputs():
    rebuilt = reversible.rebuild_stack(layers=3, length=128)
    assert len(rebuilt.errors) == 3
    assert max(rebuilt.errors) < 1e-5
    assert rebuilt.scale > 1  # the errors are small against inputs of ordinary size


def test_the_drawing_wires_every_edge_between_known_nodes_and_arrows_end_at_visible_ones():
    for diagram in (revnet_charts.RESNET, revnet_charts.REVNET, revnet_charts.REVNET_BACK):
        names = {node[0] for node in diagram.nodes}
        assert {name for edge in diagram.edges for name in edge} <= names
        edges = revnet_charts.edge_frame(diagram)
        kinds = {node[0]: node[3] for node in diagram.nodes}
        arrows = [kinds[end] != "corner" for _, end in diagram.edges]
        assert edges["angle"].notna().tolist() == arrows
    right = revnet_charts.edge_frame(revnet_charts.RESNET).iloc[0]  # x -> F, left to right
    assert round(right["angle"]) == 90

"""The classroom's tally chart: one bar per choice with its count, the right one marked only once revealed."""

from explorer import registry
from explorer.classroom.session import Tally
from explorer.views.classroom_charts import HIDDEN, OTHER, RIGHT, tally_chart, tally_frame

STOP = registry.tour_stops()[2]  # four choices


def test_each_choice_has_its_bar_and_count_in_order():
    tally = Tally(stop=3, counts=(1, 3, 0, 2), present=7, following=6)
    frame = tally_frame(tally, STOP.choices["ko"], answer=None)
    assert list(frame["count"]) == [1, 3, 0, 2] and tally.total == 6
    assert [label[0] for label in frame["label"]] == ["A", "B", "C", "D"]
    assert set(frame["colour"]) == {HIDDEN}  # before the reveal nothing gives the answer away
    assert all(len(label) <= 41 for label in frame["label"])  # long choices are cut for the axis


def test_the_reveal_colours_the_right_choice_alone():
    tally = Tally(stop=3, counts=(1, 3, 0, 2), present=7, following=6)
    frame = tally_frame(tally, STOP.choices["en"], answer=STOP.answer)
    assert list(frame["colour"]) == [RIGHT if i == STOP.answer else OTHER for i in range(4)]
    spec = tally_chart(frame, "answers").to_dict()
    assert spec["height"] == 60 * 4 + 20

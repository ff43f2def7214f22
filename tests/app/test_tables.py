"""Tables in the tour (#31 item 2): a static table in the room's larger type instead of the canvas grid,
at the grid's place, with the tokens shown as typed; every other page keeps the grid."""

import pandas as pd
from streamlit.testing.v1 import AppTest

from explorer.ui import tables


def _two_tables(room: bool) -> None:
    import pandas as pd
    import streamlit as st

    from explorer.ui import projector
    from explorer.ui.tables import render_table

    projector.switch(room)
    frame = pd.DataFrame({"token": ["##s", "[CLS]", "*", "-"], "p": [0.1, 0.2, 0.3, 0.4]})
    render_table(frame, hide_index=True, width="stretch")
    left, _ = st.columns(2)
    render_table(frame.set_index("token").style.format("{:.2f}"), where=left, height=120)


def _run(room: bool) -> AppTest:
    return AppTest.from_function(_two_tables, args=(room,), default_timeout=30).run()


def test_the_tour_draws_static_tables_and_other_pages_the_grid():
    screen, room = _run(False), _run(True)
    assert len(screen.dataframe) == 2 and not screen.table
    assert len(room.table) == 2 and not room.dataframe


def test_a_token_in_a_tour_table_is_shown_as_typed():
    shown = _run(True).table[0].value
    assert list(shown["token"]) == ["\\#\\#s", "\\[CLS\\]", "\\*", "\\-"]  # Markdown escapes: '##s', ...
    assert list(shown["p"]) == [0.1, 0.2, 0.3, 0.4]


def test_a_tour_table_scrolls_where_the_grid_would():
    assert tables.room_height(8) == "content"  # the grid shows all 8 rows: so does the table
    assert tables.room_height(200) == tables.ROOM_ROW * (tables.GRID_ROWS + 1)
    assert tables.room_height(3, height=36 + 35 * 3) == "content"  # a grid sized to its rows
    assert tables.room_height(30, height=36 + 35 * 5) == tables.ROOM_ROW * 6


def test_room_data_escapes_labels_and_keeps_numbers_and_formats():
    frame = pd.DataFrame({"n": [1, 2]}, index=pd.Index(["a.b", "c"], name="x_y"))
    shown = tables.room_data(frame)
    assert list(shown["n"]) == [1, 2] and list(shown.index) == ["a\\.b", "c"] and shown.index.name == "x\\_y"
    styled = tables.room_data(frame.style.format("{:.1f}"))
    assert list(styled.index) == ["a\\.b", "c"] and styled.to_html().count(">1.0<") == 1  # formats kept


def test_room_data_escapes_each_of_two_columns_that_share_a_label_once():
    frame = pd.DataFrame([["-", "##"]], columns=["same", "same"])
    assert list(tables.room_data(frame).iloc[0]) == ["\\-", "\\#\\#"]


def _long_table() -> None:
    import pandas as pd

    from explorer.ui import projector
    from explorer.ui.tables import render_table

    projector.switch(True)
    render_table(pd.DataFrame({"sentence": [f"s{i}" for i in range(5000)]}), hide_index=True)


def test_a_long_table_in_the_tour_draws_its_first_rows_and_counts_the_rest():
    app = AppTest.from_function(_long_table, default_timeout=30).run()
    assert len(app.table[0].value) == tables.ROOM_MAX_ROWS
    assert "5,000" in app.caption[0].value

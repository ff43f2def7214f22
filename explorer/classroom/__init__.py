"""A live classroom: a room that follows the presenter's tour stop and answers its questions.

room.py (the record, codes, keys, limits, faults), store.py (the interface; SQLite by default,
Redis by EXPLORER_ROOM_STORE), session.py (what a presenter's or visitor's page holds). No Streamlit
here: explorer/ui/classroom*.py draws it.
"""

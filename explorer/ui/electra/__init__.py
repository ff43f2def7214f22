"""ELECTRA's sections: replaced token detection against MLM."""

"""ELECTRA: replaced token detection with a generator and a discriminator."""

"""The editorial app keeps no tables of its own: review dates live on the kb pages."""

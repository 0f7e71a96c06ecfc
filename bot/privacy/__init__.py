"""Personal data (UU No. 27/2022): a person's own data, deleting an account, retention, the access audit."""

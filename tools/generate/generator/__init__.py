"""The enterprise generator: a manifest of counts and proportions becomes a kerbsim scenario and the list of
the risks planted in it (tools/generate/README.md)."""

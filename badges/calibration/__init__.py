"""Calibration: exemplar sets, blind rounds, agreement figures and the policy that acts on them."""

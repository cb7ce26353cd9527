"""What the commands (python -m py.<command>) share and nothing else uses:
where this checkout keeps things (checkout.py) and their pictures (plot.py)."""

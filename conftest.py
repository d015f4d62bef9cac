# Thin on purpose: everything golive does in pytest lives in golive/plugin.py.
pytest_plugins = ["golive.plugin"]

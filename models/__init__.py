"""The shipped declutter model (joblib file + JSON manifest), installed as ``declutter.models``."""

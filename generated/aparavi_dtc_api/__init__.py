"""The models and request builders generated from openapi.yaml, for the aparavi_dtc SDK."""

"""Measurements across families (above them): cost sweeps over lengths and layers."""

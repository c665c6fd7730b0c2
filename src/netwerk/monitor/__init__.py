"""Monitoring per priority, watched addresses and areas, the effect of measures and integrale controles."""

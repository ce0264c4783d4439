/// Ranking A/B simulations (placeholder until the simulator lands).
public enum SimulationModule {}

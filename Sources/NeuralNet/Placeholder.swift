/// Neural-network core (placeholder until the layers land).
public enum NeuralNetModule {}

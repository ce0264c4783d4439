print("03-ab-simulation")

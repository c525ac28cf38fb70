import JunctionGateway

print("junction: not yet wired")

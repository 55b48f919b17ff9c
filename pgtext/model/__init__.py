"""Stage: what a model is (codebook, labels, features, head, model folder) and how it is trained and measured."""

//! truce-eval (skeleton: filled in by its owner).

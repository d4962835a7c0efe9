"""Investment screening page: a deal entered as a form, the answer as a decision tree."""

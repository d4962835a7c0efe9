"""Name scoring: how closely an analysed query name matches an analysed listed name,
word by word, with the evidence that explains the score."""

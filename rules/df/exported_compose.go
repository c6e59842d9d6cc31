package df

// SecretName reports whether a variable name looks like it holds a secret,
// with DF022's word-component matching (TOKEN, SECRET, PASSWORD, API_KEY, …
// as whole components; not `*_FILE`, `*_PATH`, `*_URL`). CO006 uses it for
// compose `environment` and build `args`.
func SecretName(name string) bool {
	return laySecretName(name)
}

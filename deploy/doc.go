// Package deploy holds the deployment examples of journey: Kubernetes
// manifests (kubernetes/), a Cloud Run Job (cloudrun/) and their README.
// It has no code of its own; its tests parse every manifest and check it
// against the command line, the configuration loader, the Dockerfile and
// the Makefile, since nothing here can run them on a cluster.
package deploy

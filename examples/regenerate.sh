#!/usr/bin/env bash
# Regenerates the examples that are written by `kiln init` (default.yaml, data-plane-eks.yaml, offline-eks.yaml),
# the way a user would: a preset, then --set for every placeholder. Run from the repository root after changing a
# preset: bash examples/regenerate.sh   (uses .build/debug/kiln; `swift build` first)
set -euo pipefail
kiln=${KILN:-.build/debug/kiln}
kms=arn:aws:kms:us-east-1:123456789012:key/0f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b
gov=arn:aws-us-gov:kms:us-gov-west-1:123456789012:key/0f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b

"$kiln" init --preset default -o examples/default.yaml --force \
  --set name=initech-onprem --set hostname=ml.initech.example.com --set 'helm.image_registries[0].username=initech' \
  --set storage_classes.block.name=fast-ssd --set storage_classes.shared.name=nfs-rwx

"$kiln" init --preset data-plane-eks -o examples/data-plane-eks.yaml --force \
  --set name=dp-east --set hostname=domino.acme.example.com --set 'helm.image_registries[0].username=acme' \
  --set storage_classes.block.parameters.kmsKeyId=$kms --set storage_classes.shared.efs.region=us-east-1 \
  --set storage_classes.shared.efs.filesystem_id=fs-0a1b2c3d --set storage_classes.shared.efs.access_point_id=fsap-0a1b2c3d4e

stores=()
for store in projects logs backups; do
  stores+=(--set blob_storage.$store.s3.region=us-gov-west-1 --set blob_storage.$store.s3.bucket=acme-airgap-$store
           --set blob_storage.$store.s3.sse_kms_key_id=$gov)
done
annotations='release_overrides.nginx-ingress.chart_values.controller.service.annotations'
"$kiln" init --preset eks --offline --image-registry registry.airgap.acme.example:5000 \
  --agent-repository registry.airgap.acme.example:5000/domino/fleetcommand-agent -o examples/offline-eks.yaml --force \
  --set name=acme-airgap --set hostname=domino.airgap.acme.example --set 'helm.image_registries[0].username=robot-domino' \
  --set storage_classes.block.parameters.kmsKeyId=$gov --set storage_classes.shared.efs.region=us-gov-west-1 \
  --set storage_classes.shared.efs.filesystem_id=fs-0a1b2c3d --set storage_classes.shared.efs.access_point_id=fsap-0a1b2c3d4e \
  "${stores[@]}" \
  --set autoscaler.aws.region=us-gov-west-1 --set autoscaler.auto_discovery.cluster_name=acme-airgap \
  --set internal_docker_registry.s3_override.region=us-gov-west-1 \
  --set internal_docker_registry.s3_override.bucket=acme-airgap-registry \
  --set internal_docker_registry.s3_override.sse_kms_key_id=$gov \
  --set "$annotations[\"service.beta.kubernetes.io/aws-load-balancer-ssl-cert\"]=arn:aws-us-gov:acm:us-gov-west-1:123456789012:certificate/0f1e2d3c" \
  --set "$annotations[\"service.beta.kubernetes.io/aws-load-balancer-access-log-s3-bucket-name\"]=acme-airgap-monitoring" \
  --set 'release_overrides.nginx-ingress.chart_values.networkPolicy.ipCidrs[0]=10.20.0.0/16' \
  --set 'release_overrides.nginx-ingress.chart_values.networkPolicy.ipCidrs[1]=100.64.0.0/16' \
  --set 'image_building.registries["registry.airgap.acme.example:5000"].http=false' \
  --set 'image_building.registries["registry.airgap.acme.example:5000"].insecure=false'

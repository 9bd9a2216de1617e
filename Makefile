# Build targets for `sam build` (template.yaml: Metadata BuildMethod: makefile, ContextPath and ProjectRootDirectory: .).
# SAM copies the repository to a scratch directory, runs `make build-<LogicalId>` there with ARTIFACTS_DIR set,
# and deploys what the target puts in ARTIFACTS_DIR. Each target builds one function module with the Maven Wrapper
# (with the modules it needs: a function module alone cannot find its Maven parent or siblings) and unpacks the
# module's Lambda zip (classes at the root, jars in lib/) into ARTIFACTS_DIR.
#
# By hand: make build-ApproveFunction ARTIFACTS_DIR=/tmp/approve
# Tests do not run here; run ./mvnw verify before deploying.

SHELL := /bin/bash
.SHELLFLAGS := -euo pipefail -c

MAVEN_FLAGS ?= -B -q -DskipTests

# $(1): the function module (its CodeUri in template.yaml).
define build-function
	@test -n "$(ARTIFACTS_DIR)" || { echo "ARTIFACTS_DIR is not set: sam build sets it; by hand pass ARTIFACTS_DIR=<dir>" >&2; exit 1; }
	JAVA_HOME="$$(bin/jdk-home)" ./mvnw $(MAVEN_FLAGS) -pl $(1) -am package
	mkdir -p "$(ARTIFACTS_DIR)"
	unzip -q -o $(1)/target/function.zip -d "$(ARTIFACTS_DIR)"
endef

.PHONY: build-ApproveFunction build-RejectFunction build-ReadFunction build-ProposeFunction build-WorkflowFunction \
	build-MigrateFunction build-InboxFunction build-ExecuteActionFunction build-OutboxFunction

build-ApproveFunction:
	$(call build-function,functions/approve)

build-RejectFunction:
	$(call build-function,functions/reject)

build-ReadFunction:
	$(call build-function,functions/read)

build-ProposeFunction:
	$(call build-function,functions/propose)

build-WorkflowFunction:
	$(call build-function,functions/workflow)

build-ExecuteActionFunction:
	$(call build-function,functions/execute)

build-OutboxFunction:
	$(call build-function,functions/outbox)

build-MigrateFunction:
	$(call build-function,functions/migrate)

build-InboxFunction:
	$(call build-function,functions/inbox)

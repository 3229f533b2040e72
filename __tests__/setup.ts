import { Testing } from "cdktf";

// Registers toHaveResource, toHaveResourceWithProperties, toHaveDataSource... on expect.
Testing.setupJest();

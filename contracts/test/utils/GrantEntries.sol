// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.28;

import {IntentTypes as T} from "../../src/libraries/IntentTypes.sol";

/// @notice The test side of relayGrantBatch's wire layout (src/modules/GrantBatch.sol): one entry
///         is the GrantAccess fields packed, then the EIP-2098 compact signature (r, vs).
library GrantEntries {
    /// @dev The wire bytes of one entry.
    function pack(T.GrantAccess memory m, bytes32 r, bytes32 vs) internal pure returns (bytes memory) {
        return abi.encodePacked(
            m.patient, m.doctor, m.scope, m.permissions, m.expiry, uint64(m.nonce), uint64(m.deadline), r, vs
        );
    }

    /// @dev EIP-2098: `s` with `v - 27` in its top bit.
    function compact(uint8 v, bytes32 s) internal pure returns (bytes32 vs) {
        return bytes32(uint256(s) | (uint256(v - 27) << 255));
    }

    /// @dev A copy of `entry` with its patient zeroed: "the previous entry's patient" on the wire.
    function withoutPatient(bytes memory entry) internal pure returns (bytes memory wire) {
        wire = bytes.concat(entry);
        for (uint256 i = 0; i < 20; ++i) {
            wire[i] = 0;
        }
    }
}

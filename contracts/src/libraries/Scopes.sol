// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.28;

/// @title Scopes
/// @notice The fixed consent vocabulary of medchain: record categories (a 12-bit scope mask)
///         and permissions (a 2-bit mask). Categories are never attached to a record on chain;
///         they only appear in grants and requests, as bits.
/// @dev Category bit i (0-based) is `1 << i`:
///      0 general, 1 lab, 2 imaging, 3 medication, 4 allergy, 5 immunization, 6 procedure,
///      7 clinical note, 8 mental health, 9 sexual and reproductive health, 10 genetic, 11 other.
library Scopes {
    uint8 internal constant GENERAL = 0;
    uint8 internal constant LAB = 1;
    uint8 internal constant IMAGING = 2;
    uint8 internal constant MEDICATION = 3;
    uint8 internal constant ALLERGY = 4;
    uint8 internal constant IMMUNIZATION = 5;
    uint8 internal constant PROCEDURE = 6;
    uint8 internal constant CLINICAL_NOTE = 7;
    uint8 internal constant MENTAL_HEALTH = 8;
    uint8 internal constant SEXUAL_REPRODUCTIVE = 9;
    uint8 internal constant GENETIC = 10;
    uint8 internal constant OTHER = 11;
    /// @dev Number of categories; valid category indexes are `0 .. CATEGORY_COUNT - 1`.
    uint8 internal constant CATEGORY_COUNT = 12;
    /// @dev Every category at once (what an emergency window may read).
    uint16 internal constant ALL = 0x0FFF;

    /// @dev Permission bit: read the records of the categories in the scope.
    uint8 internal constant READ = 1;
    /// @dev Permission bit: add records to (and update own records in) the patient's file.
    uint8 internal constant APPEND = 2;
    uint8 internal constant ALL_PERMISSIONS = 3;

    /// @notice A scope/permission pair is well formed: known bits only, at least one permission,
    ///         and a non-empty scope exactly when READ is requested (APPEND is not scoped).
    function isValid(uint16 scope, uint8 permissions) internal pure returns (bool) {
        if (scope & ~ALL != 0 || permissions & ~ALL_PERMISSIONS != 0 || permissions == 0) return false;
        return (permissions & READ != 0) == (scope != 0);
    }
}
